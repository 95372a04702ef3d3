"""The embedded default store: one SQLite file under ``KHABARDAR_DATA_DIR``; survives restarts and kill -9.

It prunes itself: a write at least ``PRUNE_EVERY_S`` (of the writes' own clock) after the last prune deletes what
has expired, so no schedule is needed and a test or benchmark can drive it with simulated time."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from worker.errors import StoreError
from worker.feeds.state import FeedState
from worker.store.base import (
    DIGESTED_STATE,
    HELD_STATE,
    OUTBOX_STATES,
    PRODUCTION_RETENTION,
    ChannelState,
    HeldAlert,
    OutboxRecord,
    OutboxState,
    Retention,
)
from worker.store.sqlite_retention import delete_expired, give_space_back
from worker.store.sqlite_tx import transaction

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30.0
TOKEN_SLACK_S = 0.001  # float rounding of epoch seconds must not refuse a send that is due
STATE_FILE = "state.sqlite"
SQL_VARIABLES_MAX = 500  # well under SQLite's limit on ? placeholders in one statement
PRUNE_EVERY_S = 3600.0
WAL_KEPT_BYTES = 8 * 1024 * 1024  # the write-ahead log is cut back to this after a checkpoint

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS seen_at ON seen (at);
CREATE TABLE IF NOT EXISTS feed_state (feed TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channel_state (channel TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tat REAL NOT NULL);
CREATE TABLE IF NOT EXISTS leases (grp TEXT NOT NULL, member TEXT NOT NULL, until REAL NOT NULL,
                                   PRIMARY KEY (grp, member));
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, alert TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL, claimed_until REAL NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL, updated_at REAL NOT NULL, receipt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_at);
"""
_RECORD_COLUMNS = "id, state, alert, attempts, next_at, claimed_until, last_error, created_at, updated_at, receipt"


class SqliteStore:
    def __init__(self, data_dir: Path, *, retention: Retention = PRODUCTION_RETENTION) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / STATE_FILE
        self.retention = retention
        self._prune_at = -float("inf")  # the first write of a process prunes
        self._local = threading.local()
        try:
            self._db().executescript(_SCHEMA)
            _add_receipt_column(self._db())
        except sqlite3.Error as exc:
            raise StoreError(f"store: cannot prepare {self.path}: {exc}") from exc

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                db.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file only, so before WAL
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")  # an alert recorded as sent must stay sent after a crash
                db.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
            except sqlite3.Error as exc:
                raise StoreError(f"store: cannot open {self.path}: {exc}") from exc
            self._local.db = db
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            with transaction(self._db()) as db:
                yield db
        except sqlite3.Error as exc:
            raise StoreError(f"store: {self.path}: {exc}") from exc

    @contextmanager
    def _write(self, now: float) -> Iterator[sqlite3.Connection]:
        """A write transaction at ``now``; after it, once per ``PRUNE_EVERY_S``, a prune."""
        with self._transaction() as db:
            yield db
        if now >= self._prune_at:
            try:
                self.prune(now)
            except StoreError as exc:  # the write itself is done: failing it now would repeat a sent alert
                log.warning("%s (pruning again in %.0f s)", exc, PRUNE_EVERY_S)

    def _query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        try:
            return self._db().execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"store: {self.path}: {exc}") from exc

    # --- seen articles ---
    def is_seen(self, key: str) -> bool:
        return bool(self._query("SELECT 1 FROM seen WHERE key = ?", key))

    def mark_seen(self, key: str, *, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self._write(now) as db:
            return db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, now)).rowcount == 1

    def get_feed_state(self, feed: str) -> FeedState:
        return cast(FeedState, self._get_json("feed_state", "feed", feed))

    def put_feed_state(self, feed: str, state: FeedState) -> None:
        self._put_json("feed_state", feed, state)

    def _get_json(self, table: str, column: str, key: str) -> dict[str, Any]:
        rows = self._query(f"SELECT state FROM {table} WHERE {column} = ?", key)
        return dict(json.loads(rows[0][0])) if rows else {}

    def _put_json(self, table: str, key: str, state: Mapping[str, object]) -> None:
        with self._transaction() as db:
            db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, json.dumps(state, ensure_ascii=False)))

    # --- rate limits (buckets and slots share a table; a row past its time is the same as no row) ---
    def take_token(self, bucket: str, count: int, period_s: float, now: float) -> float:
        interval_s = period_s / count
        with self._write(now) as db:
            row = db.execute("SELECT tat FROM buckets WHERE key = ?", (bucket,)).fetchone()
            tat = max(row[0] if row else now, now)
            wait_s = tat - (period_s - interval_s) - now
            if wait_s > TOKEN_SLACK_S:
                return wait_s
            db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?)", (bucket, tat + interval_s))
            return 0.0

    def reserve_slot(self, key: str, spacing_s: float, not_before: float, now: float) -> float:
        """The earliest time from ``not_before`` that is ``spacing_s`` after every slot reserved before; reserved."""
        slot = f"slot:{key}"  # apart from take_token's buckets
        with self._write(now) as db:
            row = db.execute("SELECT tat FROM buckets WHERE key = ?", (slot,)).fetchone()
            at = max(row[0] if row else not_before, not_before)
            db.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?)", (slot, at + spacing_s))
            return float(at)

    # --- the outbox ---
    def outbox_add(self, alert_id: str, alert: dict[str, Any], now: float) -> bool:
        with self._write(now) as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO outbox (id, state, alert, next_at, created_at, updated_at) "
                "VALUES (?, 'pending', ?, ?, ?, ?)",
                (alert_id, json.dumps(alert, ensure_ascii=False), now, now, now),
            )
            return cursor.rowcount == 1

    def outbox_get(self, alert_id: str) -> OutboxRecord | None:
        rows = self._query(f"SELECT {_RECORD_COLUMNS} FROM outbox WHERE id = ?", alert_id)
        return _record(rows[0]) if rows else None

    def outbox_claim(self, alert_id: str, now: float, lease_s: float) -> OutboxRecord | None:
        with self._write(now) as db:
            cursor = db.execute(
                "UPDATE outbox SET claimed_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE id = ? AND state = 'pending' AND next_at <= ? AND claimed_until <= ?",
                (now + lease_s, now, alert_id, now, now),
            )
            if cursor.rowcount != 1:
                return None
            row = db.execute(f"SELECT {_RECORD_COLUMNS} FROM outbox WHERE id = ?", (alert_id,)).fetchone()
        return _record(row)

    def outbox_sent(self, alert_id: str, now: float, *, receipt: str | None = None) -> None:
        self._set_state(alert_id, "sent", now, now, "", receipt=receipt)

    def outbox_rearm(self, alert_id: str, alert: dict[str, Any], now: float, next_at: float) -> bool:
        with self._write(now) as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?, claimed_until = 0, last_error = '', "
                "updated_at = ? WHERE id = ? AND state IN ('sent', 'dead')",
                (next_at, now, alert_id),
            )
            if cursor.rowcount == 1:
                return True
            cursor = db.execute(
                "INSERT OR IGNORE INTO outbox (id, state, alert, next_at, created_at, updated_at) "
                "VALUES (?, 'pending', ?, ?, ?, ?)",
                (alert_id, json.dumps(alert, ensure_ascii=False), next_at, now, now),
            )
            return cursor.rowcount == 1

    def outbox_retry(self, alert_id: str, now: float, next_at: float, error: str) -> None:
        self._set_state(alert_id, "pending", now, next_at, error)

    def outbox_release(self, alert_id: str, now: float, next_at: float, error: str) -> None:
        """Give a claimed alert back, due at ``next_at``; the claim does not count as an attempt."""
        with self._write(now) as db:
            db.execute(
                "UPDATE outbox SET next_at = ?, claimed_until = 0, attempts = MAX(attempts - 1, 0), last_error = ?, "
                "updated_at = ? WHERE id = ? AND state = 'pending'",
                (next_at, error, now, alert_id),
            )

    def outbox_dead(self, alert_id: str, now: float, error: str) -> None:
        self._set_state(alert_id, "dead", now, now, error)

    def outbox_replay(self, alert_id: str, now: float) -> bool:
        with self._write(now) as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'pending', next_at = ?, claimed_until = 0, attempts = 0, last_error = '', "
                "updated_at = ? WHERE id = ?",
                (now, now, alert_id),
            )
            return cursor.rowcount == 1

    def _set_state(
        self, alert_id: str, state: OutboxState, now: float, next_at: float, error: str, *, receipt: str | None = None
    ) -> None:
        with self._write(now) as db:
            db.execute(
                "UPDATE outbox SET state = ?, next_at = ?, claimed_until = 0, last_error = ?, updated_at = ?, "
                "receipt = COALESCE(?, receipt) WHERE id = ?",
                (state, next_at, error, now, receipt, alert_id),
            )

    def outbox_due(self, now: float, limit: int) -> list[str]:
        rows = self._query(
            "SELECT id FROM outbox WHERE state = 'pending' AND next_at <= ? AND claimed_until <= ? "
            "ORDER BY next_at LIMIT ?",
            now,
            now,
            limit,
        )
        return [row[0] for row in rows]

    def outbox_list(self, state: OutboxState | None, limit: int) -> list[OutboxRecord]:
        where, args = ("WHERE state = ?", (state,)) if state else ("", ())
        sql = f"SELECT {_RECORD_COLUMNS} FROM outbox {where} ORDER BY updated_at DESC LIMIT ?"
        rows = self._query(sql, *args, limit)
        return [_record(row) for row in rows]

    def outbox_counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(OUTBOX_STATES, 0)
        counts.update({state: n for state, n in self._query("SELECT state, COUNT(*) FROM outbox GROUP BY state")})
        return counts

    # --- housekeeping ---
    def prune(self, now: float) -> None:
        """Delete what has expired at ``now`` and, when much of the file is then free, give that space back."""
        self._prune_at = now + PRUNE_EVERY_S
        try:
            if delete_expired(self._db(), now, self.retention):
                give_space_back(self._db())
        except sqlite3.Error as exc:
            raise StoreError(f"store: pruning {self.path}: {exc}") from exc

    def ping(self) -> None:
        self._query("SELECT 1")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- polling: many feeds' states at once, and leases that cap how many polls of one host are in flight ---
    def get_feed_states(self, feeds: Sequence[str]) -> dict[str, FeedState]:
        found: dict[str, FeedState] = {feed: {} for feed in feeds}
        for start in range(0, len(feeds), SQL_VARIABLES_MAX):
            chunk = list(feeds[start : start + SQL_VARIABLES_MAX])
            marks = ", ".join("?" * len(chunk))
            for feed, state in self._query(f"SELECT feed, state FROM feed_state WHERE feed IN ({marks})", *chunk):
                found[feed] = json.loads(state)
        return found

    def acquire_lease(self, group: str, member: str, limit: int, ttl_s: float, now: float) -> bool:
        with self._write(now) as db:
            db.execute("DELETE FROM leases WHERE grp = ? AND until <= ?", (group, now))
            if db.execute("SELECT 1 FROM leases WHERE grp = ? AND member = ?", (group, member)).fetchone():
                return False
            if db.execute("SELECT COUNT(*) FROM leases WHERE grp = ?", (group,)).fetchone()[0] >= limit:
                return False
            db.execute("INSERT INTO leases VALUES (?, ?, ?)", (group, member, now + ttl_s))
            return True

    def release_lease(self, group: str, member: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM leases WHERE grp = ? AND member = ?", (group, member))

    def count_leases(self, groups: Sequence[str], now: float) -> dict[str, int]:
        counts = dict.fromkeys(groups, 0)
        rows = self._query("SELECT grp, COUNT(*) FROM leases WHERE until > ? GROUP BY grp", now)
        counts.update({group: count for group, count in rows if group in counts})
        return counts

    def try_lock(self, key: str, ttl_s: float, *, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        with self._write(now) as db:
            db.execute("DELETE FROM locks WHERE key = ? AND until <= ?", (key, now))
            return db.execute("INSERT OR IGNORE INTO locks VALUES (?, ?)", (key, now + ttl_s)).rowcount == 1

    # --- channel state: a JSON object per channel, each change one UPSERT that touches only its own fields ---
    # JSON rather than a row per field: a field keeps its type (a count stays a number, disabled a boolean), a
    # read is one row, and rows written before fields were updated one by one read the same.
    _UPSERT = "INSERT INTO channel_state VALUES (:channel, :fields) ON CONFLICT(channel) DO UPDATE SET "
    _SET_FIELDS = _UPSERT + "state = json_patch(state, excluded.state)"
    _COUNT_SENT = _UPSERT + (
        "state = json_set(state, '$.sent', COALESCE(json_extract(state, '$.sent'), 0) + 1, "
        "'$.sent_today', CASE WHEN json_extract(state, '$.sent_day') = :day "
        "THEN COALESCE(json_extract(state, '$.sent_today'), 0) + 1 ELSE 1 END, "
        "'$.sent_day', :day, '$.last_sent_at', :now)"
    )
    _HOLD_BACK = _UPSERT + (
        "state = json_set(state, '$.held_back_until', "
        "MAX(COALESCE(json_extract(state, '$.held_back_until'), 0), :until))"
    )
    _DISABLE = _SET_FIELDS + (
        " WHERE NOT (COALESCE(json_extract(state, '$.disabled'), 0) "
        "AND json_extract(state, '$.config_version') IS :version)"
    )

    def get_channel_state(self, channel: str) -> ChannelState:
        return cast(ChannelState, self._get_json("channel_state", "channel", channel))

    def set_channel_fields(self, channel: str, fields: ChannelState) -> None:
        if fields:
            self._channel_change(self._SET_FIELDS, channel, dict(fields))

    def count_channel_sent(self, channel: str, now: float, day: str) -> None:
        first: ChannelState = {"sent": 1, "sent_day": day, "sent_today": 1, "last_sent_at": now}
        self._channel_change(self._COUNT_SENT, channel, dict(first), day=day, now=now)

    def hold_channel_back(self, channel: str, until: float) -> None:
        self._channel_change(self._HOLD_BACK, channel, {"held_back_until": until}, until=until)

    def disable_channel(self, channel: str, reason: str, now: float, config_version: str) -> bool:
        fields: ChannelState = {
            "disabled": True,
            "disabled_reason": reason,
            "disabled_at": now,
            "config_version": config_version,
        }
        return self._channel_change(self._DISABLE, channel, dict(fields), version=config_version) == 1

    def _channel_change(self, sql: str, channel: str, fields: dict[str, Any], **params: Any) -> int:
        """One statement: insert the channel with ``fields``, or change its existing state as ``sql`` says."""
        with self._transaction() as db:
            args = {"channel": channel, "fields": json.dumps(fields, ensure_ascii=False), **params}
            return db.execute(sql, args).rowcount

    # --- end of channel state ---

    # --- flow: held alerts and digests (worker.flow); see the section in worker/store/base.py ---
    # A held alert is an outbox row in state 'held' (so its id is taken) and a flow_held row saying why; a digest
    # is an outbox row like any other. Its tables are made on first use, so this section stands on its own.
    _FLOW_SCHEMA = """
    CREATE TABLE IF NOT EXISTS flow_held (id TEXT PRIMARY KEY, grp TEXT NOT NULL, reason TEXT NOT NULL,
                                          held_at REAL NOT NULL, release_at REAL NOT NULL);
    CREATE INDEX IF NOT EXISTS flow_held_grp ON flow_held (grp, held_at);
    CREATE TABLE IF NOT EXISTS flow_burst (grp TEXT PRIMARY KEY, start REAL NOT NULL, count INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS flow_parts (id TEXT NOT NULL, part INTEGER NOT NULL, PRIMARY KEY (id, part));
    """

    @cached_property
    def _flow_ready(self) -> bool:
        try:
            self._db().executescript(self._FLOW_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"store: cannot prepare {self.path}: {exc}") from exc
        return True

    @contextmanager
    def _flow_transaction(self) -> Iterator[sqlite3.Connection]:
        assert self._flow_ready
        with self._transaction() as db:
            yield db

    def flow_hold(self, held: HeldAlert) -> bool:
        with self._flow_transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO outbox (id, state, alert, next_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    held.id,
                    HELD_STATE,
                    json.dumps(held.alert, ensure_ascii=False),
                    held.release_at,
                    held.held_at,
                    held.held_at,
                ),
            )
            if cursor.rowcount != 1:
                return False
            _record_why_held(db, held)
            return True

    def flow_hold_claimed(self, held: HeldAlert) -> bool:
        with self._flow_transaction() as db:
            cursor = db.execute(
                f"UPDATE outbox SET state = '{HELD_STATE}', claimed_until = 0, next_at = ?, updated_at = ? "
                "WHERE id = ? AND state = 'pending'",
                (held.release_at, held.held_at, held.id),
            )
            if cursor.rowcount != 1:
                return False
            _record_why_held(db, held)
            return True

    def flow_held(self, group: str | None = None) -> list[HeldAlert]:
        assert self._flow_ready
        where, args = ("AND h.grp = ?", (group,)) if group else ("", ())
        rows = self._query(
            "SELECT h.id, h.grp, o.alert, h.reason, h.held_at, h.release_at FROM flow_held h JOIN outbox o "
            f"ON o.id = h.id WHERE o.state = '{HELD_STATE}' {where} ORDER BY h.held_at, h.id",
            *args,
        )
        return [HeldAlert(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5]) for row in rows]

    def flow_digest(self, group: str, digest_id: str, digest: dict[str, Any], now: float) -> str | None:
        with self._flow_transaction() as db:
            rows = db.execute(
                "SELECT h.id, o.alert FROM flow_held h JOIN outbox o ON o.id = h.id "
                f"WHERE h.grp = ? AND o.state = '{HELD_STATE}' ORDER BY h.held_at, h.id",
                (group,),
            ).fetchall()
            if not rows:
                return None
            chosen, number = digest_id, 1
            while db.execute("SELECT 1 FROM outbox WHERE id = ?", (chosen,)).fetchone():
                number += 1
                chosen = f"{digest_id}-{number}"
            body = {"id": chosen, "alerts": [json.loads(alert) for _id, alert in rows], **_without_id(digest)}
            db.execute(
                "INSERT INTO outbox (id, state, alert, next_at, created_at, updated_at) "
                "VALUES (?, 'pending', ?, ?, ?, ?)",
                (chosen, json.dumps(body, ensure_ascii=False), now, now, now),
            )
            ids = [alert_id for alert_id, _alert in rows]
            marks = ", ".join("?" * len(ids))
            db.execute(
                f"UPDATE outbox SET state = '{DIGESTED_STATE}', last_error = ?, updated_at = ? WHERE id IN ({marks})",
                (f"in digest {chosen}", now, *ids),
            )
            db.execute(f"DELETE FROM flow_held WHERE id IN ({marks})", ids)
            return chosen

    def burst_admit(self, group: str, limit: int, per_s: float, now: float) -> tuple[bool, float]:
        with self._flow_transaction() as db:
            row = db.execute("SELECT start, count FROM flow_burst WHERE grp = ?", (group,)).fetchone()
            start, count = (row[0], row[1]) if row and now < row[0] + per_s else (now, 0)
            db.execute("INSERT OR REPLACE INTO flow_burst VALUES (?, ?, ?)", (group, start, count + 1))
            return count + 1 <= limit, start + per_s

    def digest_parts_sent(self, digest_id: str) -> set[int]:
        assert self._flow_ready
        return {int(row[0]) for row in self._query("SELECT part FROM flow_parts WHERE id = ?", digest_id)}

    def mark_digest_part_sent(self, digest_id: str, part: int) -> None:
        with self._flow_transaction() as db:
            db.execute("INSERT OR IGNORE INTO flow_parts VALUES (?, ?)", (digest_id, part))

    # --- end of flow ---


def _record(row: tuple[Any, ...]) -> OutboxRecord:
    return OutboxRecord(
        id=row[0],
        state=row[1],
        alert=json.loads(row[2]),
        attempts=int(row[3]),
        next_at=float(row[4]),
        claimed_until=float(row[5]),
        last_error=row[6],
        created_at=float(row[7]),
        updated_at=float(row[8]),
        receipt=row[9],
    )


def _add_receipt_column(db: sqlite3.Connection) -> None:
    """A file made before receipts were kept gains the column (its records have none: ``""``)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
    if "receipt" not in columns:
        try:
            db.execute("ALTER TABLE outbox ADD COLUMN receipt TEXT NOT NULL DEFAULT ''")
        except sqlite3.OperationalError as exc:
            if "duplicate column" not in str(exc):  # another process added it first
                raise


def _without_id(digest: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in digest.items() if key not in ("id", "alerts")}


def _record_why_held(db: sqlite3.Connection, held: HeldAlert) -> None:
    """The flow_held row of an alert just put in the held state: its group, reason and release time."""
    db.execute(
        "INSERT OR REPLACE INTO flow_held VALUES (?, ?, ?, ?, ?)",
        (held.id, held.group, held.reason, held.held_at, held.release_at),
    )
