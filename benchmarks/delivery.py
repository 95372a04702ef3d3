"""Alerts per second through Celery + Redis to a loopback sink, against a plain requests.post loop to the same sink.

    python benchmarks/delivery.py [N]
    python benchmarks/delivery.py --embedded [N]

The ratio (khabardar / plain loop) is our overhead: outbox claim, record, rate-limit check, task hop.
With --embedded the alerts go through the embedded default (SQLite broker and store, no Redis): khabardar's own
broker transport (tasks/embedded_broker.py) against Kombu's stock SQLAlchemy transport taking one message per
worker process, as the embedded default did before, in the same run; the rows left in the broker file after each.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests
from celery import Celery

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REDIS_URL, celery_worker, redis_prefix, sink
from tasks import embedded_broker
from tasks.app import broker_url, declare_queues, make_app
from worker.alerts.model import Alert, AlertMatch, ArticleSummary
from worker.settings import Settings
from worker.store import RedisStore, Store, open_store

DEFAULT_ALERTS = 500
DEFAULT_EMBEDDED_ALERTS = 200
DELIVERY_TIMEOUT_S = 300.0


def _alert(number: int) -> Alert:
    article = ArticleSummary(
        url=f"https://example.org/news/{number}",
        title=f"पुतिन और किम की मुलाकात {number}",
        source="bench",
        outlet="bench",
        published=datetime.now(UTC),
        snippet="रूस के राष्ट्रपति व्लादिमीर पुतिन ने उत्तर कोरिया के नेता किम जोंग उन से मुलाकात की।",
    )
    return Alert(f"bench-{number}", "world", "sink", article, (AlertMatch("putin", "leader", 3, ("पुतिन",)),))


def plain_loop(url: str, count: int) -> float:
    payloads = [_alert(number).to_dict() for number in range(count)]
    started = time.perf_counter()
    for payload in payloads:
        requests.post(url, json=payload, timeout=10).raise_for_status()
    return count / (time.perf_counter() - started)


def _config(workdir: Path, url: str) -> Path:
    config = workdir / "khabardar.yaml"
    host = urlsplit(url).netloc
    config.write_text(
        f'fetch:\n  allow_hosts: ["{host}"]\n'  # a loopback sink: refused unless listed, for POSTs too
        f'channels:\n  sink: {{type: webhook, url: "{url}"}}\nwatchlists:\n  - name: world\n    channels: [sink]\n'
        "    entities:\n      - {id: putin, kind: leader, names: [पुतिन]}\n",
        encoding="utf-8",
    )
    return config


def through_khabardar(url: str, count: int, workdir: Path) -> float:
    config = _config(workdir, url)
    with redis_prefix() as prefix:
        env = {"KHABARDAR_REDIS_URL": REDIS_URL, "KHABARDAR_REDIS_PREFIX": prefix, "KHABARDAR_CONFIG": str(config)}
        store = _seeded(RedisStore(REDIS_URL, prefix=prefix), count)
        app = make_app(Settings.from_env(env))
        with celery_worker(env, workdir / "worker.log"):
            return _send_all(app, store, count)


def _seeded(store: Store, count: int) -> Store:
    for number in range(count):
        alert = _alert(number)
        store.outbox_add(alert.id, alert.to_dict(), time.time())
    return store


def _send_all(app: Celery, store: Store, count: int) -> float:
    """Alerts per second from queueing ``count`` deliveries to the last one recorded as sent."""
    started = time.perf_counter()
    for number in range(count):
        app.send_task("alerts.deliver", args=[f"bench-{number}"], queue="alerts")
    while store.outbox_counts()["sent"] < count:
        if time.perf_counter() - started > DELIVERY_TIMEOUT_S:
            raise SystemExit(f"only {store.outbox_counts()} after {DELIVERY_TIMEOUT_S:.0f}s")
        time.sleep(0.05)
    return count / (time.perf_counter() - started)


def through_embedded(url: str, count: int, workdir: Path, *, stock: bool) -> tuple[float, int]:
    """Alerts per second on the embedded default, and the rows the broker file holds afterwards."""
    workdir.mkdir()
    config = _config(workdir, url)
    env = {"KHABARDAR_REDIS_URL": "", "KHABARDAR_DATA_DIR": str(workdir / "var"), "KHABARDAR_CONFIG": str(config)}
    settings = Settings.from_env(env)
    store = _seeded(open_store(settings), count)
    app = make_app(settings)
    declare_queues(app)
    broker = embedded_broker.path(broker_url(settings))
    options = [f"--broker=sqla+{embedded_broker.url(broker)}", "--prefetch-multiplier=1"] if stock else []
    with celery_worker(env, workdir / "worker.log", options=options):
        rate = _send_all(app, store, count)
    with closing(sqlite3.connect(broker)) as db:
        (rows,) = db.execute("SELECT count(*) FROM kombu_message").fetchone()
    return rate, rows


def main_embedded(count: int) -> None:
    with sink() as server, tempfile.TemporaryDirectory() as workdir:
        stock, stock_rows = through_embedded(server.url, count, Path(workdir) / "stock", stock=True)
        ours, our_rows = through_embedded(server.url, count, Path(workdir) / "ours", stock=False)
    print(f"delivery benchmark, embedded default: {count} alerts to a loopback sink, 2 worker processes")
    print(f"{'broker transport':<52}{'alerts/s':>10}{'rows left':>11}")
    print(f"{'Kombu SQLAlchemy, one message per process (baseline)':<52}{stock:>10.1f}{stock_rows:>11}")
    print(f"{'khabardar embedded (tasks/embedded_broker.py)':<52}{ours:>10.1f}{our_rows:>11}")
    print(f"ratio khabardar / baseline: {ours / stock:.1f}")


def main() -> None:
    if "--embedded" in sys.argv:
        arguments = [a for a in sys.argv[1:] if a != "--embedded"]
        main_embedded(int(arguments[0]) if arguments else DEFAULT_EMBEDDED_ALERTS)
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ALERTS
    with sink() as server, tempfile.TemporaryDirectory() as workdir:
        baseline = plain_loop(server.url, count)
        ours = through_khabardar(server.url, count, Path(workdir))
        received = server.count
    print(f"delivery benchmark: {count} alerts to a loopback sink (webhook channel, no rate limit)")
    print(f"{'path':<38}{'alerts/s':>10}")
    print(f"{'plain requests.post loop':<38}{baseline:>10.1f}")
    print(f"{'khabardar (Celery + Redis, 2 procs)':<38}{ours:>10.1f}")
    print(f"ratio khabardar / plain: {ours / baseline:.2f}")
    print(f"sink received {received} POSTs for {2 * count} sends (duplicates: {received - 2 * count})")


if __name__ == "__main__":
    main()
