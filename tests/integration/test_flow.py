"""The flow of alerts end to end: a real worker with its beat on real Redis, loopback feeds and chat sinks.

One watch-list sits in quiet hours that outlast the test until the config is edited to end them (a running worker
applies the edit at once); another meets a burst. Every alert reaches every channel in exactly one message: its
own, or one digest. Quiet hours that end by the clock are the flow tests' (tests/flow), on a clock of their own.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import wait_for
from tests.integration.site import Item, Site, article_page
from worker.store import RedisStore

pytestmark = pytest.mark.integration

NIGHT_ARTICLES = 4
BUSY_ARTICLES = 5
BURST_MAX = 2
BURST_PER_S = 6
QUIET_FOR = timedelta(minutes=15)  # longer than the test: only the edit ends the quiet hours
NIGHT_CHANNELS = ("webhook", "slack", "discord", "telegram")
TIMEOUT_S = 150.0
SETTLE_S = 6.0  # after the last expected message, how long to watch for one that should not come


def quiet_window(start: datetime, end: datetime) -> str:
    """Quiet hours in UTC from the minute of ``start`` to the minute of ``end``."""
    return f"{start:%H:%M}-{end:%H:%M}"


def minute(now: datetime, minutes: int) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=minutes)


def serve(site: Site) -> None:
    night = [Item(f"पुतिन की रात की बैठक {n}", f"/night/{n}.html") for n in range(NIGHT_ARTICLES)]
    busy = [Item(f"मोदी का दौरा, दिन {n}", f"/busy/{n}.html") for n in range(BUSY_ARTICLES)]
    for item in night:
        site.serve_page(item.path, article_page(item.title, [f"{item.title}: व्लादिमीर पुतिन ने देर रात कहा।"]))
    for item in busy:
        site.serve_page(item.path, article_page(item.title, [f"{item.title}: प्रधानमंत्री मोदी आज पहुंचे।"]))
    site.serve_feed("/feeds/night.xml", night)
    site.serve_feed("/feeds/busy.xml", busy)


def write(path: Path, site: Site, window: str) -> Path:
    path.write_text(
        f"""feeds:
  - {{name: night, url: "{site.base}/feeds/night.xml", interval: 10m}}
  - {{name: busy, url: "{site.base}/feeds/busy.xml", interval: 10m}}
channels:
{site.channels_yaml()}
fetch:
  allow_hosts: ["{site.host}"]
watchlists:
  - name: night-desk
    channels: [{", ".join(NIGHT_CHANNELS)}]
    entities:
      - {{id: putin, kind: leader, names: [व्लादिमीर पुतिन, पुतिन]}}
    delivery: {{timezone: UTC, quiet_hours: "{window}"}}
  - name: busy-desk
    channels: [webhook]
    entities:
      - {{id: modi, kind: leader, names: [मोदी]}}
    delivery: {{burst: {{max: {BURST_MAX}, per: {BURST_PER_S}s}}}}
""",
        encoding="utf-8",
    )
    return path


def webhook_alert_ids(posts: list[dict[str, Any]], watchlist: str) -> list[str]:
    """Every alert id the generic webhook received for ``watchlist``, its own or in a digest, repeats included."""
    ids = []
    for post in posts:
        if post["watchlist"] == watchlist:
            ids += [alert["id"] for alert in post["alerts"]] if post.get("type") == "digest" else [post["id"]]
    return ids


def test_quiet_hours_and_a_burst_deliver_every_alert_in_exactly_one_message(
    site: Site, tmp_path: Path, start_worker: Any, redis_url: str, redis_prefix: str
) -> None:
    serve(site)
    now = datetime.now(UTC)
    config = write(tmp_path / "khabardar.yaml", site, quiet_window(minute(now, -1), now + QUIET_FOR))
    log = start_worker(config, "-B", f"--schedule={tmp_path / 'beat'}")
    store = RedisStore(redis_url, prefix=redis_prefix)
    hook = site.received["webhook"]

    def held_count() -> int:
        return len(store.flow_held())

    expected_held = NIGHT_ARTICLES * len(NIGHT_CHANNELS) + BUSY_ARTICLES - BURST_MAX
    wait_for(lambda: held_count() == expected_held or _digests(hook, "busy-desk"), TIMEOUT_S, "alerts to be held")
    assert all(not site.received[kind] for kind in NIGHT_CHANNELS if kind != "webhook"), "sent in quiet hours"
    assert not webhook_alert_ids(hook, "night-desk"), "sent in quiet hours"

    wait_for(lambda: _digests(hook, "busy-desk") == 1, TIMEOUT_S, "the burst's digest at its window's end")
    busy = webhook_alert_ids(hook, "busy-desk")
    assert len(busy) == BUSY_ARTICLES == len(set(busy)), busy
    assert [post.get("type") for post in hook if post["watchlist"] == "busy-desk"][:BURST_MAX] != ["digest"] * 2

    assert held_count() == NIGHT_ARTICLES * len(NIGHT_CHANNELS), "quiet hours ended before the edit"
    now = datetime.now(UTC)
    write(config, site, quiet_window(minute(now, -2), minute(now, -1)))  # the quiet hours are over
    wait_for(lambda: all(site.received[kind] for kind in NIGHT_CHANNELS[1:]), TIMEOUT_S, "the quiet hours' digests")
    wait_for(lambda: _digests(hook, "night-desk") == 1, TIMEOUT_S, "the webhook's quiet-hours digest")
    time.sleep(SETTLE_S)
    night = webhook_alert_ids(hook, "night-desk")
    assert len(night) == NIGHT_ARTICLES == len(set(night)), night
    assert {kind: len(site.received[kind]) for kind in NIGHT_CHANNELS[1:]} == dict.fromkeys(NIGHT_CHANNELS[1:], 1)
    assert all("पुतिन की रात की बैठक 3" in str(site.received[kind]) for kind in NIGHT_CHANNELS[1:])
    assert _digests(hook, "busy-desk") == 1 and len(hook) == BURST_MAX + 2
    assert held_count() == 0
    counts = store.outbox_counts()
    assert (counts["pending"], counts["dead"]) == (0, 0), (counts, log.read_text(errors="replace")[-3000:])


def _digests(posts: list[dict[str, Any]], watchlist: str) -> int:
    return sum(1 for post in posts if post.get("type") == "digest" and post["watchlist"] == watchlist)
