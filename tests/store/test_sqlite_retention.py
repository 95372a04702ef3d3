"""The embedded store prunes itself as it is written to, and gives back the space a large prune frees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from worker.store import Retention, SqliteStore
from worker.store.sqlite_store import _SCHEMA, PRUNE_EVERY_S, STATE_FILE

START = 1_800_000_000.0
DAY_S = 24 * 3600.0
RETENTION = Retention(seen_s=DAY_S, done_alert_s=DAY_S, dead_alert_s=2 * DAY_S)
ROWS = 20_000


def test_writes_prune_the_store_once_per_interval_without_being_asked(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path, retention=RETENTION)
    store.mark_seen("old", now=START)  # the first write of a process prunes; the next prune is due an hour later
    store.mark_seen("first-of-day-two", now=START + DAY_S + 1)  # due: "old" is older than a day
    assert not store.is_seen("old")
    store.mark_seen("aged-soon", now=START + 2)
    store.mark_seen("within-the-hour", now=START + DAY_S + 60)  # not due yet
    assert store.is_seen("aged-soon")
    store.mark_seen("next-hour", now=START + DAY_S + 1 + PRUNE_EVERY_S)
    assert not store.is_seen("aged-soon")
    assert store.is_seen("first-of-day-two")


def test_a_prune_that_frees_most_of_the_file_gives_the_space_back(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path, retention=RETENTION)
    _fill(store)
    full = _file_bytes(tmp_path)
    store.prune(START + 2 * DAY_S)
    assert _file_bytes(tmp_path) < full / 4


def test_a_file_made_before_incremental_vacuum_is_converted_when_a_prune_frees_most_of_it(tmp_path: Path) -> None:
    legacy = sqlite3.connect(tmp_path / STATE_FILE)
    legacy.executescript(_SCHEMA)  # auto_vacuum off, as files made by earlier versions are
    legacy.close()
    store = SqliteStore(tmp_path, retention=RETENTION)
    assert store._query("PRAGMA auto_vacuum")[0][0] == 0
    _fill(store)
    full = _file_bytes(tmp_path)
    store.prune(START + 2 * DAY_S)
    assert _file_bytes(tmp_path) < full / 4
    assert store._query("PRAGMA auto_vacuum")[0][0] == 2


def test_a_prune_that_frees_little_keeps_the_pages_for_the_next_writes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path, retention=RETENTION)
    _fill(store, at=START - 1, rows=ROWS // 10)
    _fill(store, at=START, rows=ROWS, first=ROWS)
    pages = store._query("PRAGMA page_count")[0][0]
    store.prune(START + DAY_S - 0.5)  # only the first tenth is older than a day
    assert store._query("PRAGMA page_count")[0][0] == pages
    assert store._query("PRAGMA freelist_count")[0][0] > 0
    assert not store.is_seen("https://example.org/news/0")
    assert store.is_seen(f"https://example.org/news/{ROWS}")


def _fill(store: SqliteStore, *, at: float = START, rows: int = ROWS, first: int = 0) -> None:
    db = store._db()
    db.execute("BEGIN")
    news = ((f"https://example.org/news/{n}", at) for n in range(first, first + rows))
    db.executemany("INSERT INTO seen VALUES (?, ?)", news)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _file_bytes(data_dir: Path) -> int:
    return sum(path.stat().st_size for path in data_dir.glob(f"{STATE_FILE}*"))
