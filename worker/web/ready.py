"""``/readyz``: the store and the broker answer, beat ticked lately, and a worker finished a task lately."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from worker.errors import KhabardarError
from worker.metrics import names
from worker.metrics.tally import Tally
from worker.pipeline.dispatch import TICK_INTERVAL_S
from worker.settings import Settings
from worker.store import Store
from worker.web.bounded import Bounded

CHECK_TIMEOUT_S = 1.0
TICKS_MISSED_MAX = 3  # beat is late when three ticks in a row did not run
EMBEDDED_BROKER_FILE = "broker.sqlite"  # tasks.app keeps the embedded broker here


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]  # name -> "ok" or what is wrong

    @property
    def ready(self) -> bool:
        return all(result == "ok" for result in self.checks.values())

    def to_json(self) -> dict[str, object]:
        failed = [name for name, result in self.checks.items() if result != "ok"]
        return {"ready": self.ready, "failed": failed, "checks": self.checks}


def check_broker(settings: Settings) -> None:
    """The broker answers: Redis PINGs back, or the embedded broker's database can be read."""
    if settings.redis_url:
        client = redis.Redis.from_url(
            settings.redis_url, socket_timeout=CHECK_TIMEOUT_S, socket_connect_timeout=CHECK_TIMEOUT_S
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            raise KhabardarError(f"broker: Redis does not answer: {exc}") from exc
        finally:
            client.close()
        return
    path = settings.data_dir / EMBEDDED_BROKER_FILE
    if not path.exists():
        raise KhabardarError(f"broker: {path.name} does not exist yet (no worker has started)")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=CHECK_TIMEOUT_S) as db:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise KhabardarError(f"broker: {path.name}: {exc}") from exc


def check_recent(times: dict[str, float], key: str, within_s: float, now_s: float, what: str) -> None:
    at = times.get(key)
    if at is None:
        raise KhabardarError(f"{what}: never seen")
    if now_s - at > within_s:
        raise KhabardarError(f"{what}: last seen {now_s - at:.0f} s ago (more than {within_s:g} s)")


def readiness(
    settings: Settings, store: Callable[[], Store], tally: Callable[[], Tally], bounded: Bounded
) -> Readiness:
    checks = {
        "store": _run(bounded, lambda: store().ping()),
        "broker": _run(bounded, lambda: check_broker(settings)),
    }
    try:
        times = bounded.call(lambda: tally().times(), CHECK_TIMEOUT_S)
    except KhabardarError as exc:
        return Readiness(checks | {"beat": str(exc), "worker": str(exc)})
    late_s, now_s = TICKS_MISSED_MAX * TICK_INTERVAL_S, time.time()
    checks["beat"] = _run(bounded, lambda: check_recent(times, names.LAST_TICK, late_s, now_s, "beat's tick"))
    checks["worker"] = _run(bounded, lambda: check_recent(times, names.WORKER_SEEN, late_s, now_s, "a worker"))
    return Readiness(checks)


def _run(bounded: Bounded, step: Callable[[], None]) -> str:
    try:
        bounded.call(step, CHECK_TIMEOUT_S)
    except (KhabardarError, OSError) as exc:
        return str(exc)
    return "ok"
