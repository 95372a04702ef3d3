"""What watching costs: one count in the store per pipeline event, and one /metrics scrape, against baselines.

    python benchmarks/web.py [N]

Per event: ``count_poll`` (one counter, one histogram sample, one time) against the store's own ``is_seen``, on
Redis and on the embedded SQLite file. Per scrape: ``GET /metrics`` and ``GET /`` with FEEDS feeds and a full
outbox page, against ``GET /healthz`` (the server alone) on the same loopback server.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REDIS_URL, redis_prefix
from worker.metrics import count_poll
from worker.settings import Settings
from worker.store import open_store
from worker.web.app import WebApp

DEFAULT_EVENTS = 2000
FEEDS = 1000
SCRAPES = 30


def per_call_us(call: Callable[[], object], times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - started) / times * 1e6


def median_ms(url: str) -> float:
    samples = []
    for _ in range(SCRAPES):
        started = time.perf_counter()
        requests.get(url, timeout=30).raise_for_status()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def write_config(directory: Path) -> Path:
    feeds = "\n".join(f'  - {{name: feed-{n}, url: "https://example.org/{n}.xml"}}' for n in range(FEEDS))
    path = directory / "khabardar.yaml"
    path.write_text(f"feeds:\n{feeds}\nchannels:\n  terminal: {{type: console}}\n", encoding="utf-8")
    return path


def counting(settings: Settings, label: str, events: int) -> None:
    store = open_store(settings)
    baseline = per_call_us(lambda: store.is_seen("bench-key"), events)
    counted = per_call_us(lambda: count_poll(settings, "feed-1", "ok", 0.2, now_s=time.time()), events)
    print(f"{label:>7}: count_poll {counted:8.1f} µs/event   store.is_seen (baseline) {baseline:8.1f} µs/call")


def scraping(settings: Settings) -> None:
    app = WebApp(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        print(f"  GET /healthz (baseline) {median_ms(base + '/healthz'):7.1f} ms median of {SCRAPES}")
        print(f"  GET /metrics            {median_ms(base + '/metrics'):7.1f} ms  ({FEEDS} feeds)")
        print(f"  GET /                   {median_ms(base + '/'):7.1f} ms  ({FEEDS} feeds)")
    finally:
        server.shutdown()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request would bury the figures
    events = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVENTS
    with tempfile.TemporaryDirectory() as tmp, redis_prefix() as prefix:
        config = write_config(Path(tmp))
        env = {"KHABARDAR_DATA_DIR": tmp}
        sqlite = Settings.from_env(env, config=config)
        on_redis = Settings.from_env(
            env | {"KHABARDAR_REDIS_URL": REDIS_URL, "KHABARDAR_REDIS_PREFIX": prefix}, config=config
        )
        counting(on_redis, "Redis", events)
        counting(sqlite, "SQLite", events)
        print("Redis, scrape:")
        scraping(on_redis)
        print("SQLite, scrape:")
        scraping(sqlite)


if __name__ == "__main__":
    main()
