"""End to end: loopback feeds → a real Celery worker on real Redis → loopback chat webhooks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from tasks.app import make_app
from tests.integration.conftest import FEED_INTERVAL_S, FEEDS, wait_for, write_config
from tests.integration.site import TELEGRAM_TOKEN, Site
from worker.pipeline.poll import POLL_LOCK_FRACTION
from worker.settings import Settings
from worker.store import RedisStore

pytestmark = pytest.mark.integration

ALERT_TIMEOUT_S = 90.0
QUIET_S = 4.0  # after the expected alerts, how long to watch for an unexpected one
CHANNEL_COUNT = 7


def _app(worker_env: dict[str, str], config: Path) -> Celery:
    return make_app(Settings.from_env({**worker_env, "KHABARDAR_CONFIG": str(config)}))


def _poll(app: Celery, *feeds: str) -> None:
    for feed in feeds:
        app.send_task("ingest.poll_feeds", args=[[feed]], queue="poll")


def _wait_polled(store: RedisStore, feed: str, after: str) -> str:
    def polled() -> bool:
        return str(store.get_feed_state(feed).get("last_success", "")) > after

    wait_for(polled, ALERT_TIMEOUT_S, f"feed {feed} to be polled")
    return str(store.get_feed_state(feed)["last_success"])


def _entities(payload: dict[str, Any]) -> set[str]:
    return {match["entity"] for match in payload["matches"]}


def test_one_poll_alerts_every_channel_once_and_a_repoll_adds_none(
    news: Site, tmp_path: Path, worker_env: dict[str, str], start_worker: Any, redis_url: str, redis_prefix: str
) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    log_path = start_worker(config)
    app = _app(worker_env, config)
    store = RedisStore(redis_url, prefix=redis_prefix)

    polled_first = time.monotonic()
    _poll(app, "world", "desh")
    wait_for(lambda: news.total_received() >= CHANNEL_COUNT, ALERT_TIMEOUT_S, "one alert on every channel")
    time.sleep(QUIET_S)

    assert {kind: len(posts) for kind, posts in news.received.items()} == dict.fromkeys(news.received, 1)
    generic = news.received["webhook"][0]
    assert generic["watchlist"] == "world-leaders"
    assert {"putin", "kim-jong-un", "trump"} <= _entities(generic)
    assert generic["article"]["url"].endswith("/a/putin-kim.html")
    assert generic["article"]["source"] in {"world", "desh"}
    assert news.page_hits["/a/modinagar.html"] == 1  # fetched and matched, but alerted nobody

    polled_at = {feed: str(store.get_feed_state(feed)["last_success"]) for feed, _ in FEEDS}
    page_hits = dict(news.page_hits)
    # an earlier re-poll would find the feed locked (a second beat's poll is refused on purpose)
    time.sleep(max(0.0, polled_first + FEED_INTERVAL_S * POLL_LOCK_FRACTION + 0.5 - time.monotonic()))
    _poll(app, "world", "desh")
    for feed, _ in FEEDS:
        _wait_polled(store, feed, polled_at[feed])
    time.sleep(QUIET_S)

    assert news.total_received() == CHANNEL_COUNT
    assert news.page_hits == page_hits  # seen articles are not fetched again; the 304 fetched nothing
    assert store.outbox_counts() == {"pending": 0, "sent": CHANNEL_COUNT, "dead": 0}
    assert TELEGRAM_TOKEN not in log_path.read_text(encoding="utf-8", errors="replace")
