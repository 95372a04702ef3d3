"""One SQLite transaction, taken the way every SQLite file of khabardar takes it (store, story index, metrics)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(db: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
    """Commit what the block wrote, or roll it all back. IMMEDIATE takes the write lock at the start, so two
    processes never both read and then both fail to write (SQLite's deadlock of deferred transactions)."""
    db.execute(begin)
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
