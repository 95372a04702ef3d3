"""The story index in the embedded default: its own SQLite file under the data directory (``stories.sqlite``),
so story writes never queue behind the outbox's.

Keys live in a WITHOUT ROWID table keyed by (generation, key, entry), a generation being a quarter of the window
(the Redis index's, worker/stories/redis_index.py): a look-up is one index seek per live generation (5) and key,
and eviction deletes whole generations by range, so both cost the same at 1k or 100k entries in the window.
Entries are freed by slot (a twelfth of the window); a key row stays up to a generation after its entry, and
finds nothing then.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from worker.errors import StoreError
from worker.store.sqlite_tx import transaction
from worker.stories.entry import Entry
from worker.stories.index import (
    DEFAULT_WINDOW_S,
    UPDATES_MAX,
    Lookup,
    live_generations,
    live_slots,
    readable,
    slot_of,
    update_json,
)

STORIES_FILE = "stories.sqlite"
BUSY_TIMEOUT_S = 30.0
MMAP_BYTES = 256 * 1024 * 1024

_SCHEMA = """
-- story_keys, by slot, was the layout before generations: its entries are no longer found, and leave with their slots
DROP TABLE IF EXISTS story_keys;
CREATE TABLE IF NOT EXISTS story_generation_keys (generation INTEGER NOT NULL, key INTEGER NOT NULL,
                                                  entry INTEGER NOT NULL, PRIMARY KEY (generation, key, entry))
                                                  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_entries (entry INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS story_slots (slot INTEGER PRIMARY KEY, last_entry INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS story_updates (alert TEXT NOT NULL, url TEXT NOT NULL, at REAL NOT NULL,
                                          item TEXT NOT NULL, PRIMARY KEY (alert, url)) WITHOUT ROWID;
"""


class SqliteStoryIndex:
    def __init__(self, data_dir: Path, window_s: float = DEFAULT_WINDOW_S) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / STORIES_FILE
        self.window_s = window_s
        self._local = threading.local()
        try:
            self._db().executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"stories: cannot prepare {self.path}: {exc}") from exc

    def lookup(self, keys: Sequence[int], now: float, new: Entry | None = None) -> Lookup:
        generations = live_generations(now, self.window_s)
        with self._transaction("BEGIN") as db:  # a read: one snapshot for the number and the rows
            seq = db.execute("SELECT coalesce(max(entry), 0) FROM story_entries").fetchone()[0]
            rows = db.execute(
                f"SELECT entry, record FROM story_entries WHERE entry IN (SELECT entry FROM story_generation_keys "
                f"WHERE generation IN ({_marks(generations)}) AND key IN ({_marks(keys)}))",
                (*generations, *keys),
            ).fetchall()
        if new is not None and not rows:  # a second transaction: the look-up's is a read, shared with other workers
            return Lookup([], seq, self.add(new, keys, seq))
        return Lookup(readable(rows, now, self.window_s), seq)

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        slots = live_slots(entry.at, self.window_s)
        slot = slot_of(entry.at, self.window_s)
        generations = live_generations(entry.at, self.window_s)
        generation = generations.stop - 1
        with self._transaction() as db:
            if seen_seq is not None and _newer(db, generations, keys, seen_seq):
                return None
            number = int(db.execute("INSERT INTO story_entries (record) VALUES (?)", (entry.pack(),)).lastrowid or 0)
            rows = [(generation, key, number) for key in keys]
            db.executemany("INSERT OR IGNORE INTO story_generation_keys VALUES (?, ?, ?)", rows)
            db.execute(
                "INSERT INTO story_slots VALUES (?, ?) ON CONFLICT (slot) DO UPDATE "
                "SET last_entry = max(last_entry, excluded.last_entry)",
                (slot, number),
            )
            _evict(db, slots.start, generations.start)
        return number

    def add_update(self, alert_id: str, update: dict[str, Any], now: float) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM story_updates WHERE alert = ? AND at < ?", (alert_id, now - self.window_s))
            count = db.execute("SELECT count(*) FROM story_updates WHERE alert = ?", (alert_id,)).fetchone()[0]
            if count < UPDATES_MAX:
                row = (alert_id, str(update.get("url")), now, update_json(update))
                db.execute("INSERT OR IGNORE INTO story_updates VALUES (?, ?, ?, ?)", row)

    def updates(self, alert_id: str, now: float) -> list[dict[str, Any]]:
        with self._transaction("BEGIN") as db:
            rows = db.execute(
                "SELECT item FROM story_updates WHERE alert = ? AND at >= ? ORDER BY at",
                (alert_id, now - self.window_s),
            ).fetchall()
        return [json.loads(item) for (item,) in rows]

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # a story lost to a power cut costs one extra alert at most
                db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")  # look-ups read pages without a system call each
            except sqlite3.Error as exc:
                raise StoreError(f"stories: cannot open {self.path}: {exc}") from exc
            self._local.db = db
        return db

    @contextmanager
    def _transaction(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
        try:
            with transaction(self._db(), begin) as db:
                yield db
        except sqlite3.Error as exc:
            raise StoreError(f"stories: {self.path}: {exc}") from exc


def _newer(db: sqlite3.Connection, generations: range, keys: Sequence[int], seen_seq: int) -> bool:
    if db.execute("SELECT coalesce(max(entry), 0) FROM story_entries").fetchone()[0] <= seen_seq:
        return False  # nothing was added since the caller looked (the common case)
    sql = (
        f"SELECT 1 FROM story_generation_keys WHERE generation IN ({_marks(generations)}) "
        f"AND key IN ({_marks(keys)}) AND entry > ? LIMIT 1"
    )
    return db.execute(sql, (*generations, *keys, seen_seq)).fetchone() is not None


def _evict(db: sqlite3.Connection, oldest_live_slot: int, oldest_live_generation: int) -> None:
    last = db.execute("SELECT max(last_entry) FROM story_slots WHERE slot < ?", (oldest_live_slot,)).fetchone()[0]
    if last is None:
        return
    db.execute("DELETE FROM story_entries WHERE entry <= ?", (last,))
    db.execute("DELETE FROM story_generation_keys WHERE generation < ?", (oldest_live_generation,))
    db.execute("DELETE FROM story_slots WHERE slot < ?", (oldest_live_slot,))


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values)) or "NULL"
