"""Alerts per second through Celery + Redis to a loopback sink, against a plain requests.post loop to the same sink.

    python benchmarks/delivery.py [N]

The ratio (khabardar / plain loop) is our overhead: outbox claim, record, rate-limit check, task hop.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REDIS_URL, celery_worker, redis_prefix, sink
from tasks.app import make_app
from worker.alerts.model import Alert, AlertMatch, ArticleSummary
from worker.settings import Settings
from worker.store import RedisStore

DEFAULT_ALERTS = 500
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


def through_khabardar(url: str, count: int, workdir: Path) -> float:
    config = workdir / "khabardar.yaml"
    host = urlsplit(url).netloc
    config.write_text(
        f'fetch:\n  allow_hosts: ["{host}"]\n'  # a loopback sink: refused unless listed, for POSTs too
        f'channels:\n  sink: {{type: webhook, url: "{url}"}}\nwatchlists:\n  - name: world\n    channels: [sink]\n'
        "    entities:\n      - {id: putin, kind: leader, names: [पुतिन]}\n",
        encoding="utf-8",
    )
    with redis_prefix() as prefix:
        env = {"KHABARDAR_REDIS_URL": REDIS_URL, "KHABARDAR_REDIS_PREFIX": prefix, "KHABARDAR_CONFIG": str(config)}
        store = RedisStore(REDIS_URL, prefix=prefix)
        for number in range(count):
            alert = _alert(number)
            store.outbox_add(alert.id, alert.to_dict(), time.time())
        app = make_app(Settings.from_env(env))
        with celery_worker(env, workdir / "worker.log"):
            started = time.perf_counter()
            for number in range(count):
                app.send_task("alerts.deliver", args=[f"bench-{number}"], queue="alerts")
            while store.outbox_counts()["sent"] < count:
                if time.perf_counter() - started > DELIVERY_TIMEOUT_S:
                    raise SystemExit(f"only {store.outbox_counts()} after {DELIVERY_TIMEOUT_S:.0f}s")
                time.sleep(0.05)
            return count / (time.perf_counter() - started)


def main() -> None:
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
