"""A poll records the feed's health and its next check: 304s counted, errors backed off, an unchanged body not
parsed again, sickness announced once to ops; and two beats ticking at once poll each feed once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, get_type_hints

import pytest
from pytest_httpserver import HTTPServer

import worker.pipeline.poll as poll_module
from tests.alerts.fakes import ops_notices
from tests.feeds.conftest import item, rss
from tests.pipeline.conftest import EngineFactory
from worker.errors import FetchError
from worker.feeds import not_modified_share
from worker.feeds.state import FeedState
from worker.pipeline import ArticleJob, Engine, run_poll
from worker.pipeline.dispatch import dispatch_due, host_of, lease_group
from worker.store import Store

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=1)
FRESH = (NOW - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S +0000")
STALE = (NOW - timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S +0000")
FEED = rss(
    item(pubDate=FRESH) + item(title="मौसम: दिल्ली में बारिश", link="https://khabar.example/m-9.html", pubDate=STALE)
)


def _poll(engine: Engine, now: datetime, name: str = "desh") -> poll_module.PollResult:
    """One poll as ``khabardar once`` runs it (without the poll lock, so a test can poll again at once)."""
    return run_poll(engine, name, now, enqueue=lambda _job: None, scheduled=False)


def _state(engine: Engine, name: str = "desh") -> dict[str, Any]:
    return engine.store.get_feed_state(name)


def _next_check_in(engine: Engine, now: datetime) -> timedelta:
    return datetime.fromisoformat(_state(engine)["next_check_at"]) - now


def test_the_first_poll_alerts_only_the_last_day_and_schedules_the_next(
    httpserver: HTTPServer, make_engine: EngineFactory
) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data(FEED, content_type="application/rss+xml")
    engine = make_engine({"desh": "/desh.xml"})
    result = _poll(engine, NOW)
    assert result.status == "new"
    assert [job.title for job in result.jobs] == ["संसद में बजट पेश"]
    assert result.recorded_only == ["https://khabar.example/m-9.html"]
    assert INTERVAL <= _next_check_in(engine, NOW) <= INTERVAL * 1.1
    assert _state(engine)["new_entries_total"] == 2


def test_a_304_counts_toward_the_feeds_304_share(httpserver: HTTPServer, make_engine: EngineFactory) -> None:
    engine = make_engine({"desh": "/desh.xml"})
    httpserver.expect_ordered_request("/desh.xml").respond_with_data(FEED, headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request("/desh.xml", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    _poll(engine, NOW)
    result = _poll(engine, NOW + INTERVAL)
    assert result.status == "not-modified" and not result.jobs
    state = _state(engine)
    assert (state["checks_ok"], state["not_modified"]) == (2, 1)
    assert not_modified_share(state) == 0.5
    assert state["etag"] == '"v1"'


def test_a_changing_etag_on_an_unchanged_body_skips_parsing(
    httpserver: HTTPServer, make_engine: EngineFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[bytes] = []
    parse = poll_module.parse_feed
    monkeypatch.setattr(poll_module, "parse_feed", lambda body, **kw: parsed.append(body) or parse(body, **kw))
    engine = make_engine({"desh": "/desh.xml"})
    httpserver.expect_ordered_request("/desh.xml").respond_with_data(FEED, headers={"ETag": '"v1"'})
    httpserver.expect_ordered_request("/desh.xml").respond_with_data(FEED, headers={"ETag": '"v2"'})
    _poll(engine, NOW)
    result = _poll(engine, NOW + INTERVAL)
    assert result.status == "unchanged" and not result.jobs
    assert len(parsed) == 1
    state = _state(engine)
    assert state["unchanged"] == 1 and state["etag"] == '"v2"'


@pytest.mark.parametrize(
    ("failures", "least", "most"),
    [(1, 0.8, 1.2), (2, 1.6, 2.4), (3, 3.2, 4.8), (12, 360 * 0.8, 360)],  # minutes: interval × 2^(n-1) ± 20 %
)
def test_an_error_is_recorded_and_backed_off(
    httpserver: HTTPServer, make_engine: EngineFactory, failures: int, least: float, most: float
) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data("down", status=503)
    engine = make_engine({"desh": "/desh.xml"})
    for number in range(failures):
        with pytest.raises(FetchError):
            _poll(engine, NOW + number * INTERVAL)
    now = NOW + (failures - 1) * INTERVAL
    state = _state(engine)
    assert state["consecutive_errors"] == failures
    assert state["last_error_kind"] == "server-error" and "503" in state["last_error"]
    assert INTERVAL * least <= _next_check_in(engine, now) <= INTERVAL * most


def test_a_retry_after_is_honoured(httpserver: HTTPServer, make_engine: EngineFactory) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data("slow down", status=429, headers={"Retry-After": "900"})
    engine = make_engine({"desh": "/desh.xml"})
    with pytest.raises(FetchError):
        _poll(engine, NOW)
    assert _next_check_in(engine, NOW) >= timedelta(seconds=900)


def test_each_poll_records_the_due_time_it_ran_for(httpserver: HTTPServer, make_engine: EngineFactory) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data(FEED)
    engine = make_engine({"desh": "/desh.xml"})
    _poll(engine, NOW)
    due = _state(engine)["next_check_at"]
    _poll(engine, NOW + 2 * INTERVAL)
    assert _state(engine)["last_due_at"] == due


def test_sickness_is_announced_once_to_ops_and_so_is_recovery(
    httpserver: HTTPServer, make_engine: EngineFactory
) -> None:
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    engine = make_engine({"desh": "/desh.xml"}, ops=True)
    httpserver.expect_request("/desh.xml").respond_with_data("down", status=500)
    for number in range(5):
        with pytest.raises(FetchError):
            _poll(engine, NOW + number * INTERVAL)
    assert ops_notices(httpserver) == [
        "khabardar: feed desh failed 3 polls in a row; last error: " + _last_error(engine)
    ]
    httpserver.clear_all_handlers()
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    httpserver.expect_request("/desh.xml").respond_with_data(FEED)
    _poll(engine, NOW + 10 * INTERVAL)
    _poll(engine, NOW + 11 * INTERVAL)
    assert ops_notices(httpserver)[1:] == ["khabardar: feed desh is healthy again"]


def _last_error(engine: Engine) -> str:
    return str(_state(engine)["last_error"])


def test_a_permanent_move_is_recorded_and_the_new_url_suggested(
    httpserver: HTTPServer, make_engine: EngineFactory
) -> None:
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    httpserver.expect_request("/desh.xml").respond_with_data("", status=301, headers={"Location": "/naya.xml"})
    httpserver.expect_request("/naya.xml").respond_with_data(FEED)
    engine = make_engine({"desh": "/desh.xml"}, ops=True)
    _poll(engine, NOW)
    assert _state(engine)["moved_to"] == httpserver.url_for("/naya.xml")
    [notice] = ops_notices(httpserver)
    assert httpserver.url_for("/naya.xml") in notice


def test_an_ops_channel_that_fails_does_not_cost_the_poll_its_record(
    httpserver: HTTPServer, make_engine: EngineFactory
) -> None:
    httpserver.expect_request("/ops", method="POST").respond_with_data("gone", status=404)
    httpserver.expect_request("/desh.xml").respond_with_data("", status=410)
    engine = make_engine({"desh": "/desh.xml"}, ops=True)
    with pytest.raises(FetchError):
        _poll(engine, NOW)
    state = _state(engine)
    assert state["gone"] and state["announced"] == "gone"
    assert _next_check_in(engine, NOW) == timedelta(hours=6)


def test_a_dry_run_poll_records_and_announces_nothing(httpserver: HTTPServer, make_engine: EngineFactory) -> None:
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    httpserver.expect_request("/desh.xml").respond_with_data("", status=410)
    engine = make_engine({"desh": "/desh.xml"}, ops=True)
    with pytest.raises(FetchError):
        run_poll(engine, "desh", NOW, enqueue=lambda _job: None, scheduled=False, record=False)
    assert _state(engine) == {}
    assert ops_notices(httpserver) == []


def test_two_beats_ticking_at_once_poll_each_feed_once(
    httpserver: HTTPServer, make_engine: EngineFactory, store_factory: Callable[[], Store]
) -> None:
    names = {f"feed-{number}": f"/feed-{number}.xml" for number in range(12)}
    for path in names.values():
        httpserver.expect_request(path).respond_with_data(FEED)
    beats = [make_engine(names, store=store_factory()), make_engine(names, store=store_factory())]
    dispatched: list[str] = []
    while True:
        now = datetime.now(UTC)
        ticks = _tick_together(beats, now)
        if not any(ticks):
            break
        for beat, due in zip(beats, ticks, strict=True):
            for name in due:  # each as its task would: poll under the lock, record, free the host
                run_poll(beat, name, now, enqueue=lambda _job: None)
            dispatched += due
    assert sorted(dispatched) == sorted(names)
    requests = [request.path for request, _ in httpserver.log]
    assert sorted(requests) == sorted(names.values())  # 0 duplicate polls


def _tick_together(beats: list[Engine], now: datetime) -> list[list[str]]:
    start = threading.Barrier(len(beats))
    found: list[list[str]] = [[] for _ in beats]

    def tick(index: int) -> None:
        start.wait()
        found[index] = [one.feed for one in dispatch_due(beats[index].config.feeds, beats[index].store, now)]

    threads = [threading.Thread(target=tick, args=(index,)) for index in range(len(beats))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def test_articles_are_handed_on_before_they_are_marked_seen(httpserver: HTTPServer, make_engine: EngineFactory) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data(FEED)
    engine = make_engine({"desh": "/desh.xml"})

    def crash(_job: ArticleJob) -> None:
        raise RuntimeError("the broker went away")

    with pytest.raises(RuntimeError):
        run_poll(engine, "desh", NOW, enqueue=crash, scheduled=False)
    handed: list[ArticleJob] = []
    run_poll(engine, "desh", NOW + INTERVAL, enqueue=handed.append, scheduled=False)
    assert [job.title for job in handed] == ["संसद में बजट पेश"]  # polled again, not lost


@pytest.mark.parametrize(("status", "raises"), [(200, False), (503, True)])
def test_a_scheduled_poll_gives_its_host_lease_back_however_it_ends(
    httpserver: HTTPServer, make_engine: EngineFactory, status: int, raises: bool
) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data(FEED, status=status)
    engine = make_engine({"desh": "/desh.xml"})
    group = lease_group(host_of(httpserver.url_for("/desh.xml")))
    assert engine.store.acquire_lease(group, "desh", 4, 300.0, NOW.timestamp())
    try:
        run_poll(engine, "desh", NOW, enqueue=lambda _job: None)
    except FetchError:
        assert raises
    assert engine.store.count_leases([group], NOW.timestamp()) == {group: 0}


def test_a_rerun_of_a_scheduled_poll_within_its_interval_sends_no_request(
    httpserver: HTTPServer, make_engine: EngineFactory
) -> None:
    httpserver.expect_request("/desh.xml").respond_with_data(FEED)
    engine = make_engine({"desh": "/desh.xml"})
    handed: list[ArticleJob] = []
    first = run_poll(engine, "desh", NOW, enqueue=handed.append)
    rerun = run_poll(engine, "desh", NOW, enqueue=handed.append)  # a retried or redelivered task
    assert (first.status, rerun.status) == ("new", "locked")
    assert len(httpserver.log) == 1 and len(handed) == 1


ANSWERS = [  # (status, headers) of a feed's answers, polled in turn
    [(200, {"ETag": '"v1"', "Last-Modified": "Wed, 22 Jul 2026 06:00:00 GMT", "Cache-Control": "max-age=60"})],
    [(200, {"ETag": '"v1"'}), (304, {})],
    [(503, {"Retry-After": "120"})],
    [(200, {}), (410, {}), (200, {})],
    [(301, {"Location": "/naya.xml"})],
]


@pytest.mark.parametrize("answers", ANSWERS)
def test_a_poll_records_only_the_fields_the_feed_state_type_lists(
    httpserver: HTTPServer, make_engine: EngineFactory, answers: list[tuple[int, dict[str, str]]]
) -> None:
    for status, headers in answers:
        httpserver.expect_ordered_request("/desh.xml").respond_with_data(FEED, status=status, headers=headers)
    httpserver.expect_request("/naya.xml").respond_with_data(FEED)
    engine = make_engine({"desh": "/desh.xml"}, ops=True)
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    for number in range(len(answers)):
        with contextlib.suppress(FetchError):  # an error is recorded too
            _poll(engine, NOW + number * INTERVAL)
    assert set(_state(engine)) <= set(get_type_hints(FeedState))
