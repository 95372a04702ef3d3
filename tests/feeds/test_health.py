"""Feed health as tables: what a success or an error records, which feeds are sick, and announcing once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import pytest

from worker.errors import BlockedURLError, FeedError, FetchError
from worker.feeds.health import (
    announcement,
    conditional_headers,
    diagnose,
    error_kind,
    is_unchanged,
    not_modified_share,
    record_error,
    record_success,
    request_headers,
    sickness,
)
from worker.feeds.parse import NotAFeedError
from worker.feeds.state import ErrorKind, SicknessCode
from worker.http.errors import FetchTimeoutError, FetchTooLargeError

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
BODY = b"<rss>...</rss>"


def ago(delta: timedelta) -> str:
    return (NOW - delta).isoformat()


@pytest.mark.parametrize(
    ("state", "headers"),
    [
        ({}, {}),
        ({"etag": '"abc"'}, {"If-None-Match": '"abc"'}),
        ({"last_modified": "Thu, 23 Jul 2026 05:00:00 GMT"}, {"If-Modified-Since": "Thu, 23 Jul 2026 05:00:00 GMT"}),
        ({"etag": 'W/"x"', "last_modified": "Wed"}, {"If-None-Match": 'W/"x"', "If-Modified-Since": "Wed"}),
        ({"etag": None, "last_modified": ""}, {}),
    ],
)
def test_conditional_headers_carry_the_last_validators(state: dict[str, Any], headers: dict[str, str]) -> None:
    assert conditional_headers(state) == headers


def test_feed_requests_ask_for_feeds_and_carry_the_validators() -> None:
    headers = request_headers({"etag": '"abc"'})
    assert headers["If-None-Match"] == '"abc"'
    assert headers["Accept"].startswith("application/rss+xml")


@pytest.mark.parametrize(
    ("before", "status", "headers", "etag", "last_modified"),
    [
        ({}, 200, {"ETag": '"v2"', "Last-Modified": "Thu"}, '"v2"', "Thu"),
        ({"etag": '"v1"', "last_modified": "Wed"}, 200, {"ETag": '"v2"'}, '"v2"', None),  # dropped by the server
        ({"etag": '"v1"', "last_modified": "Wed"}, 304, {}, '"v1"', "Wed"),  # a bare 304 keeps them
        ({"etag": '"v1"'}, 304, {"ETag": '"v1b"'}, '"v1b"', None),  # a 304 may refresh them
    ],
)
def test_success_keeps_the_validators_the_server_gave_last(
    before: dict[str, Any], status: int, headers: dict[str, str], etag: str | None, last_modified: str | None
) -> None:
    after = record_success(before, NOW, status=status, headers=headers, body=None if status == 304 else BODY)
    assert (after["etag"], after["last_modified"]) == (etag, last_modified)


def test_success_clears_errors_and_counts_the_not_modified_share() -> None:
    state: dict[str, Any] = record_error({}, NOW, FetchError("x", status=503, retry_after_s=60))
    for status in (200, 304, 304, 304):
        state = record_success(state, NOW, status=status, body=BODY if status == 200 else None)
    assert state["consecutive_errors"] == 0 and "retry_at" not in state
    assert (state["polled"], state["last_status"], state["last_success"]) == (True, 304, NOW.isoformat())
    assert state["last_error_kind"] == "server-error"  # history stays for the health table
    assert not_modified_share(state) == 0.75
    assert not_modified_share({}) is None


def test_an_unchanged_body_under_a_new_etag_is_recognised() -> None:
    state = record_success({}, NOW, status=200, headers={"ETag": '"t1"'}, body=BODY)
    assert is_unchanged(state, BODY) and not is_unchanged(state, BODY + b" ")
    state = record_success(state, NOW + 5 * MIN, status=200, headers={"ETag": '"t2"'}, body=BODY)
    state = record_success(state, NOW + 10 * MIN, status=200, headers={"ETag": '"t3"'}, body=BODY + b"!")
    assert (state["unchanged"], state["checks_ok"]) == (1, 3)
    assert not is_unchanged({}, BODY)


@pytest.mark.parametrize(
    ("headers", "cache_until"),
    [
        ({"Cache-Control": "max-age=600"}, NOW + 10 * MIN),
        ({"Cache-Control": "no-cache"}, None),
        ({}, None),
    ],
)
def test_success_records_how_long_the_server_says_the_feed_stays_fresh(
    headers: dict[str, str], cache_until: datetime | None
) -> None:
    after = record_success({"cache_until": ago(-HOUR)}, NOW, status=200, headers=headers, body=BODY)
    assert after["cache_until"] == (cache_until.isoformat() if cache_until else None)


def test_ttl_from_the_last_document_survives_a_304() -> None:
    state = record_success({}, NOW, status=200, body=BODY, ttl_s=900)
    assert record_success(state, NOW, status=304)["ttl_s"] == 900
    assert record_success(state, NOW, status=200, body=BODY)["ttl_s"] is None


def every(gap: timedelta, count: int) -> list[datetime | None]:
    return [NOW - gap * index for index in range(count)]


@pytest.mark.parametrize(
    ("published", "usual_gap_s", "per_day"),
    [
        (every(30 * MIN, 20), 1800.0, 48.0),
        ([*every(30 * MIN, 20), None, None], 1800.0, 48.0),  # undated items do not count
        (every(2 * HOUR, 3), 7200.0, 12.0),
        (every(10 * MIN, 15) + every(HOUR, 40)[10:], 600.0, 144.0),  # the newest items say how busy it is now
        (every(timedelta(seconds=5), 30), 60.0, 1440.0),  # a burst of seconds is clamped to a minute
    ],
)
def test_publishing_rate_is_the_median_gap_between_the_newest_dated_items(
    published: list[datetime | None], usual_gap_s: float, per_day: float
) -> None:
    after = record_success({}, NOW, status=200, body=BODY, new_entries=len(published), published=published)
    assert (after["usual_gap_s"], after["entries_per_day"]) == (usual_gap_s, per_day)
    assert (after["last_new_entry"], after["new_entries_total"]) == (NOW.isoformat(), len(published))


def test_publishing_rate_of_an_undated_feed_is_learnt_from_new_items_over_time() -> None:
    state = record_success({}, NOW, status=200, body=BODY, new_entries=30)
    assert "usual_gap_s" not in state  # one look at an undated feed says nothing about its pace
    state = record_success(state, NOW + HOUR, status=200, body=BODY, new_entries=2)
    assert state["usual_gap_s"] == 1800.0
    state = record_success(state, NOW + 2 * HOUR, status=200, body=BODY, new_entries=1)
    assert state["usual_gap_s"] == 1800.0 + 0.3 * (3600.0 - 1800.0)
    state = record_success(state, NOW + 3 * HOUR, status=304)
    assert state["usual_gap_s"] == 2340.0 and state["last_new_entry"] == (NOW + 2 * HOUR).isoformat()


ERRORS = [
    (BlockedURLError("refused"), "blocked", None),
    (FetchTimeoutError("slow"), "timeout", None),
    (FetchTooLargeError("big"), "too-large", None),
    (NotAFeedError("html"), "not-a-feed", None),
    (FeedError("broken"), "bad-feed", None),
    (FetchError("http 404", status=404), "not-found", 404),
    (FetchError("http 410", status=410), "gone", 410),
    (FetchError("http 429", status=429), "rate-limited", 429),
    (FetchError("http 403", status=403), "client-error", 403),
    (FetchError("http 502", status=502), "server-error", 502),
    (FetchError("refused"), "network", None),
    (RuntimeError("bug"), "unknown", None),
]


@pytest.mark.parametrize(("error", "kind", "status"), ERRORS)
def test_error_is_recorded_with_its_kind(error: Exception, kind: str, status: int | None) -> None:
    assert error_kind(error) == kind
    after = record_error({"consecutive_errors": 2}, NOW, error)
    assert (after["consecutive_errors"], after["last_error_kind"], after["last_error_status"]) == (3, kind, status)
    assert (after["last_error"], after["last_error_at"], after["gone"]) == (str(error), NOW.isoformat(), status == 410)


@pytest.mark.parametrize(("retry_after_s", "retry_at"), [(120.0, NOW + 2 * MIN), (None, None), (0.0, None)])
def test_retry_after_becomes_a_time(retry_after_s: float | None, retry_at: datetime | None) -> None:
    after = record_error({"retry_at": "stale"}, NOW, FetchError("busy", status=503, retry_after_s=retry_after_s))
    assert after.get("retry_at") == (retry_at.isoformat() if retry_at else None)


def test_the_error_kinds_named_in_the_type_are_those_a_poll_records() -> None:
    assert {kind for _, kind, _ in ERRORS} == set(get_args(ErrorKind))


HEALTHY = {"polled": True, "first_check": ago(30 * 24 * HOUR), "consecutive_errors": 0}


SICKNESSES = [
    ({}, None),
    (HEALTHY, None),
    (HEALTHY | {"usual_gap_s": 1800, "last_new_entry": ago(5 * HOUR)}, None),  # quiet night, not sick
    (HEALTHY | {"usual_gap_s": 1800, "last_new_entry": ago(7 * HOUR)}, "silent"),
    (HEALTHY | {"usual_gap_s": 4 * 3600, "last_new_entry": ago(11 * HOUR)}, None),  # under 3× its gap
    (HEALTHY | {"usual_gap_s": 4 * 3600, "last_new_entry": ago(13 * HOUR)}, "silent"),
    (HEALTHY | {"usual_gap_s": 4 * 3600, "first_check": ago(13 * HOUR)}, "silent"),  # never a new item
    (HEALTHY | {"consecutive_errors": 2, "last_error_kind": "timeout"}, None),  # a blip
    (HEALTHY | {"consecutive_errors": 3, "last_error_kind": "timeout"}, "failing"),
    (HEALTHY | {"consecutive_errors": 1, "last_error_kind": "not-a-feed"}, None),  # a passing error page
    (HEALTHY | {"consecutive_errors": 2, "last_error_kind": "not-a-feed"}, "not-a-feed"),
    (HEALTHY | {"consecutive_errors": 0, "last_error_kind": "not-a-feed"}, None),  # recovered since
    (HEALTHY | {"moved_to": "https://new.example/rss"}, "moved"),
    (HEALTHY | {"gone": True, "consecutive_errors": 9, "moved_to": "x"}, "gone"),  # the worst comes first
]


@pytest.mark.parametrize(("state", "code"), SICKNESSES)
def test_sickness_is_diagnosed_most_serious_first(state: dict[str, Any], code: str | None) -> None:
    found = diagnose(state, NOW)
    assert (found.code if found else None) == code
    assert (sickness(state, NOW) is None) is (code is None)


def test_the_sickness_codes_named_in_the_type_are_those_diagnosed() -> None:
    assert {code for _, code in SICKNESSES} - {None} == set(get_args(SicknessCode))


def test_a_moved_feed_is_told_its_new_url() -> None:
    assert "https://new.example/rss" in (sickness(HEALTHY | {"moved_to": "https://new.example/rss"}, NOW) or "")


def test_sickness_is_announced_once_and_recovery_once() -> None:
    state: dict[str, Any] = dict(HEALTHY)
    messages = []
    for minute in range(10):
        state = record_error(state, NOW + minute * MIN, FetchTimeoutError("slow"))
        state, message = announcement(state, NOW + minute * MIN)
        messages.append(message)
    assert [message is not None for message in messages] == [False, False, True] + [False] * 7
    for minute in range(10, 13):
        state = record_success(state, NOW + minute * MIN, status=304)
        state, message = announcement(state, NOW + minute * MIN)
        messages.append(message)
    assert messages[10:] == ["is healthy again", None, None]


def test_a_different_sickness_is_announced_again() -> None:
    state, first = announcement(HEALTHY | {"consecutive_errors": 3, "last_error_kind": "timeout"}, NOW)
    state, second = announcement(record_error(state, NOW, FetchError("gone", status=410)), NOW)
    assert first is not None and second is not None and "410" in second
