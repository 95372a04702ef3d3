"""Counters kept in the store: every process adds to the same numbers, on Redis and on the embedded file."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.alerts.sample import ALERT
from worker.alerts.update import Edit, Update
from worker.errors import FetchError
from worker.http.errors import FetchTimeoutError
from worker.metrics import count_article, count_delivery, count_poll, tally_for, timed_poll
from worker.metrics.tally import field
from worker.settings import Settings
from worker.store import OutboxRecord

PROCESSES = 4
COUNTS_EACH = 25


@pytest.fixture(params=["redis", "sqlite"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    env = {"KHABARDAR_DATA_DIR": str(tmp_path)}
    if request.param == "redis":
        env |= {
            "KHABARDAR_REDIS_URL": request.getfixturevalue("redis_url"),
            "KHABARDAR_REDIS_PREFIX": request.getfixturevalue("redis_prefix"),
        }
    return Settings.from_env(env)


def _count_polls(settings: Settings) -> None:
    for _ in range(COUNTS_EACH):
        count_poll(settings, "desh", "ok", 0.1, now_s=1.0)


def test_forked_processes_all_count_into_the_same_counter(settings: Settings) -> None:
    tally_for(settings).counters()  # opened in the parent first, as a Celery worker's main process would
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_count_polls, args=(settings,)) for _ in range(PROCESSES)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    counters = tally_for(settings).counters()
    assert counters[field("polls", {"outcome": "ok"})] == PROCESSES * COUNTS_EACH
    assert counters[field("poll_duration_seconds_count")] == PROCESSES * COUNTS_EACH


def test_hourly_counts_add_up_and_are_read_from_an_hour_on(settings: Settings) -> None:
    tally = tally_for(settings)
    tally.add_hourly(100, {"a": 1})
    tally.add_hourly(100, {"a": 2, "b": 1})
    tally.add_hourly(102, {"b": 5})
    assert tally.hourly(100) == {100: {"a": 3, "b": 1}, 102: {"b": 5}}
    assert tally.hourly(101) == {102: {"b": 5}}


def test_times_keep_the_latest_value(settings: Settings) -> None:
    tally = tally_for(settings)
    tally.set_times({"last_beat_tick": 10.0})
    tally.set_times({"last_beat_tick": 20.0})
    assert tally.times() == {"last_beat_tick": 20.0}


@pytest.mark.parametrize(
    ("raised", "outcome"),
    [(FetchTimeoutError("slow"), "timeout"), (FetchError("x", status=503), "server_error")],
)
def test_a_failed_poll_is_counted_by_its_error_kind_and_still_raises(
    settings: Settings, raised: Exception, outcome: str
) -> None:
    @timed_poll
    def poll(engine: object, feed: str, now: object) -> None:
        raise raised

    with pytest.raises(type(raised)):
        poll(SimpleNamespace(settings=settings), "desh", None)
    assert tally_for(settings).counters()[field("polls", {"outcome": outcome})] == 1


@pytest.mark.parametrize(("status", "outcome"), [("new", "ok"), ("not-modified", "not_modified"), ("locked", "locked")])
def test_a_poll_is_counted_by_its_status(settings: Settings, status: str, outcome: str) -> None:
    @timed_poll
    def poll(engine: object, feed: str, now: object, *, record: bool = True) -> SimpleNamespace:
        return SimpleNamespace(status=status)

    poll(SimpleNamespace(settings=settings), "desh", None)
    poll(SimpleNamespace(settings=settings), "desh", None, record=False)  # a dry run is not counted
    assert tally_for(settings).counters()[field("polls", {"outcome": outcome})] == 1


def test_an_article_counts_its_watch_lists_once_and_each_new_alert(settings: Settings) -> None:
    engine = SimpleNamespace(settings=settings)
    matches = [SimpleNamespace(watchlist="world"), SimpleNamespace(watchlist="world"), SimpleNamespace(watchlist="in")]
    count_article(engine, matches, [ALERT])
    count_article(engine, matches, [], record=False)
    counters = tally_for(settings).counters()
    assert counters[field("articles_processed")] == 1
    assert counters[field("matches", {"watchlist": "world"})] == 1
    assert counters[field("alerts_created", {"watchlist": ALERT.watchlist, "channel": ALERT.channel})] == 1
    this_hour = int(time.time() // 3600)
    assert tally_for(settings).hourly(this_hour - 1) == {this_hour: {ALERT.watchlist: 1}}


def test_a_sent_alert_is_counted_with_its_latency_and_logged_with_its_ids(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    config = SimpleNamespace(channels={ALERT.channel: SimpleNamespace(type="slack")})
    engine = SimpleNamespace(settings=settings, config=config)
    with caplog.at_level("INFO", logger="khabardar.events"):
        count_delivery(engine, ALERT, "sent", ALERT.created_at.timestamp() + 3.0)
    counters = tally_for(settings).counters()
    assert counters[field("alert_deliveries", {"channel": "desk", "type": "slack", "outcome": "sent"})] == 1
    assert counters[field("delivery_latency_seconds_bucket", {"type": "slack", "le": "5.0"})] == 1
    (record,) = caplog.records
    assert (record.alert_id, record.channel, record.watchlist) == (ALERT.id, "desk", "world-leaders")  # type: ignore[attr-defined]


def test_an_update_is_counted_as_type_update_sent_or_dead(settings: Settings) -> None:
    """An edit of a sent alert (Discord, Telegram) or an alert.updated counts apart from the channel's alerts."""
    config = SimpleNamespace(channels={ALERT.channel: SimpleNamespace(type="discord")})
    engine = SimpleNamespace(settings=settings, config=config)
    update = Update.of(ALERT.to_dict())
    count_delivery(engine, Edit(update.id, ALERT, "1180000000000000001"), "sent", 1.0)
    record = OutboxRecord(update.id, "pending", update.to_dict(), 8, 0.0, 0.0, "", 0.0, 0.0)
    count_delivery(engine, record, "dead", 2.0, "gave up")
    counters = tally_for(settings).counters()
    for outcome in ("sent", "dead"):
        assert counters[field("alert_deliveries", {"channel": "desk", "type": "update", "outcome": outcome})] == 1
    assert field("alert_deliveries", {"channel": "desk", "type": "discord", "outcome": "sent"}) not in counters


def test_counting_never_raises_when_the_store_is_gone(tmp_path: Path) -> None:
    settings = Settings.from_env({"KHABARDAR_REDIS_URL": "redis://127.0.0.1:1/0", "KHABARDAR_DATA_DIR": str(tmp_path)})
    count_poll(settings, "desh", "ok", 0.1, now_s=1.0)  # no exception: the count is lost, the poll is not
