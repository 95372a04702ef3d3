"""Where the counters live: in the store, so every Celery prefork process adds to the same numbers and
``khabardar web``, a process of its own, reads them.

Redis: three kinds of hash under the deployment's prefix (``HINCRBYFLOAT`` is atomic across processes).
Embedded: ``metrics.sqlite`` beside the state file, a file of its own so counting never waits on the state's
write lock. Every call gives up after METRICS_TIMEOUT_S: a lost count is better than a stalled pipeline.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

import redis

from worker.errors import StoreError
from worker.settings import Settings
from worker.store.sqlite_tx import transaction

METRICS_TIMEOUT_S = 1.0
METRICS_FILE = "metrics.sqlite"
HOURLY_KEPT_H = 72  # the chart shows 48 h; a little more survives a clock skew between hosts
SECONDS_PER_HOUR = 3600

Labels = Mapping[str, str]


def field(name: str, labels: Labels | None = None) -> str:
    """One counter's key: its name and its labels, sorted, so the same series always has the same key."""
    return json.dumps([name, sorted((labels or {}).items())], ensure_ascii=False, separators=(",", ":"))


def parse_field(key: str) -> tuple[str, dict[str, str]]:
    name, labels = json.loads(key)
    return str(name), {str(k): str(v) for k, v in labels}


class Tally(Protocol):
    def add(self, increments: Mapping[str, float], times: Mapping[str, float] | None = None) -> None:
        """Add to counters and, in the same round trip, set times (the latest write wins)."""
        ...

    def set_times(self, times: Mapping[str, float]) -> None: ...
    def add_hourly(self, hour: int, counts: Mapping[str, int]) -> None:
        """Add to the counts of the hour starting at ``hour * 3600`` (epoch seconds)."""
        ...

    def counters(self) -> dict[str, float]: ...
    def times(self) -> dict[str, float]: ...
    def hourly(self, since_hour: int) -> dict[int, dict[str, int]]: ...


class RedisTally:
    def __init__(self, url: str, prefix: str) -> None:
        self._redis = redis.Redis.from_url(
            url, socket_timeout=METRICS_TIMEOUT_S, socket_connect_timeout=METRICS_TIMEOUT_S, decode_responses=True
        )
        self._prefix = f"{prefix}:metrics"

    def add(self, increments: Mapping[str, float], times: Mapping[str, float] | None = None) -> None:
        with self._errors(), self._redis.pipeline(transaction=False) as pipe:
            for key, amount in increments.items():
                pipe.hincrbyfloat(f"{self._prefix}:counters", key, amount)
            if times:
                pipe.hset(f"{self._prefix}:times", mapping=cast(Any, dict(times)))
            pipe.execute()

    def set_times(self, times: Mapping[str, float]) -> None:
        with self._errors():
            self._redis.hset(f"{self._prefix}:times", mapping=cast(Any, dict(times)))

    def add_hourly(self, hour: int, counts: Mapping[str, int]) -> None:
        key = f"{self._prefix}:hour:{hour}"
        with self._errors(), self._redis.pipeline(transaction=False) as pipe:
            for name, amount in counts.items():
                pipe.hincrby(key, name, amount)
            pipe.expire(key, HOURLY_KEPT_H * SECONDS_PER_HOUR)
            pipe.execute()

    def counters(self) -> dict[str, float]:
        with self._errors():
            return {str(key): float(value) for key, value in self._redis.hgetall(f"{self._prefix}:counters").items()}

    def times(self) -> dict[str, float]:
        with self._errors():
            return {str(key): float(value) for key, value in self._redis.hgetall(f"{self._prefix}:times").items()}

    def hourly(self, since_hour: int) -> dict[int, dict[str, int]]:
        hours = list(range(since_hour, since_hour + HOURLY_KEPT_H))
        with self._errors(), self._redis.pipeline(transaction=False) as pipe:
            for hour in hours:
                pipe.hgetall(f"{self._prefix}:hour:{hour}")
            found = pipe.execute()
        pairs = zip(hours, found, strict=True)
        return {hour: {k: int(v) for k, v in counts.items()} for hour, counts in pairs if counts}

    def _errors(self) -> _Translate:
        return _Translate(redis.RedisError, "metrics: Redis")


_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS times (key TEXT PRIMARY KEY, value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS hourly (hour INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
                                   PRIMARY KEY (hour, key));
"""


class SqliteTally:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / METRICS_FILE
        self._local = threading.local()
        with self._errors():
            self._db().executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=METRICS_TIMEOUT_S, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a count lost to a power cut is no harm
            self._local.db = db
        return db

    def add(self, increments: Mapping[str, float], times: Mapping[str, float] | None = None) -> None:
        upsert = "INSERT INTO counters VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value"
        with self._errors(), self._transaction() as db:  # one commit for the whole event
            db.executemany(upsert, list(increments.items()))
            db.executemany("INSERT OR REPLACE INTO times VALUES (?, ?)", list((times or {}).items()))

    def set_times(self, times: Mapping[str, float]) -> None:
        with self._errors():
            self._db().executemany("INSERT OR REPLACE INTO times VALUES (?, ?)", list(times.items()))

    def add_hourly(self, hour: int, counts: Mapping[str, int]) -> None:
        upsert = "INSERT INTO hourly VALUES (?, ?, ?) ON CONFLICT (hour, key) DO UPDATE SET n = n + excluded.n"
        with self._errors(), self._transaction() as db:
            db.executemany(upsert, [(hour, key, n) for key, n in counts.items()])
            db.execute("DELETE FROM hourly WHERE hour < ?", (hour - HOURLY_KEPT_H,))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with transaction(self._db()) as db:
            yield db

    def counters(self) -> dict[str, float]:
        with self._errors():
            return dict(self._db().execute("SELECT key, value FROM counters").fetchall())

    def times(self) -> dict[str, float]:
        with self._errors():
            return dict(self._db().execute("SELECT key, value FROM times").fetchall())

    def hourly(self, since_hour: int) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        with self._errors():
            rows = self._db().execute("SELECT hour, key, n FROM hourly WHERE hour >= ?", (since_hour,)).fetchall()
        for hour, key, n in rows:
            found.setdefault(int(hour), {})[str(key)] = int(n)
        return found

    def _errors(self) -> _Translate:
        return _Translate(sqlite3.Error, f"metrics: {self.path}")


class _Translate:
    """Turn the backend's own errors into StoreError, naming where they came from."""

    def __init__(self, kind: type[Exception], where: str) -> None:
        self._kind, self._where = kind, where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, _tb: object) -> None:
        if exc is not None and isinstance(exc, self._kind):
            raise StoreError(f"{self._where}: {exc}") from exc


def open_tally(settings: Settings) -> Tally:
    if settings.redis_url:
        return RedisTally(settings.redis_url, settings.redis_prefix)
    return SqliteTally(settings.data_dir)
