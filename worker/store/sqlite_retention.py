"""Retention for the embedded store: delete what has expired, in small batches, and give the space back.

Without this a months-long run keeps every seen article and finished alert; with it the file levels off once the
longest retention has passed (``benchmarks/store_retention.py`` shows it)."""

from __future__ import annotations

import sqlite3

from worker.store.base import Retention

PRUNE_BATCH_ROWS = 5_000  # one delete holds the write lock for this many rows at most, so workers are not stalled
# Pages freed by pruning are reused by the next inserts; only when more of the file than this is free (a first prune
# of a large old file, a shortened retention) are they given back to the filesystem.
FREE_PAGES_KEPT_FRACTION = 0.25
INCREMENTAL = 2  # PRAGMA auto_vacuum's value for incremental vacuum

# (table, condition on the cutoff ?). A finished alert's next_at is when it finished (indexed with its state).
_EXPIRED = (
    ("seen", "at < ?"),
    ("outbox", "state = 'sent' AND next_at < ?"),
    ("outbox", "state = 'dead' AND next_at < ?"),
    ("locks", "until <= ?"),
    ("leases", "until <= ?"),
    ("buckets", "tat <= ?"),
)


def cutoffs(now: float, retention: Retention) -> tuple[float, ...]:
    """The cutoff of each of ``_EXPIRED``, in its order: rows before it have expired at ``now``."""
    return (now - retention.seen_s, now - retention.done_alert_s, now - retention.dead_alert_s, now, now, now)


def delete_expired(db: sqlite3.Connection, now: float, retention: Retention) -> int:
    """Delete every expired row, a batch per transaction; the number deleted."""
    deleted = 0
    for (table, condition), cutoff in zip(_EXPIRED, cutoffs(now, retention), strict=True):
        sql = f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE {condition} LIMIT ?)"
        while True:
            count = db.execute(sql, (cutoff, PRUNE_BATCH_ROWS)).rowcount  # a statement is its own transaction
            deleted += count
            if count < PRUNE_BATCH_ROWS:
                break
    return deleted


def give_space_back(db: sqlite3.Connection) -> bool:
    """Shrink the file when much of it is free pages; True if it did. A file made before incremental vacuum was
    switched on is converted once (one full VACUUM), at the first prune that frees that much."""
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    if free <= db.execute("PRAGMA page_count").fetchone()[0] * FREE_PAGES_KEPT_FRACTION:
        return False
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] == INCREMENTAL:
        db.executescript("PRAGMA incremental_vacuum;")  # run to the end: execute() would free one page per step
    else:
        db.execute(f"PRAGMA auto_vacuum = {INCREMENTAL}")
        db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # the freed pages leave the file only at a checkpoint
    return True
