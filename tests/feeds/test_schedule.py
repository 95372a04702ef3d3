"""Schedule arithmetic as tables: adaptive intervals, server hints, back-off with jitter, never stopping."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.feeds.schedule import ERROR_BACKOFF_MAX, DueFeed, freshness, next_check_at, pick_batch

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Feed:
    interval: timedelta = 5 * MIN


class Fixed:
    """A 'random' source that always returns one value: the low end, middle or top of the jitter."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


def at(delta: timedelta) -> str:
    return (NOW + delta).isoformat()


@pytest.mark.parametrize(
    ("state", "interval", "delay"),
    [
        ({}, 5 * MIN, 5 * MIN),  # nothing known yet: the configured interval
        ({"usual_gap_s": 60}, 5 * MIN, 5 * MIN),  # a busy feed is never polled faster than configured
        ({"usual_gap_s": 30 * 60}, 5 * MIN, 10 * MIN),  # an item every 30 min: poll every 10
        ({"usual_gap_s": 86400}, 5 * MIN, 20 * MIN),  # a daily feed stretches to 4× the interval at most
        ({"usual_gap_s": 86400}, 30 * MIN, HOUR),  # ...and to an hour at most
        ({"usual_gap_s": 86400}, 2 * HOUR, 2 * HOUR),  # a long configured interval is kept as it is
        ({"ttl_s": 15 * 60}, 5 * MIN, 15 * MIN),  # RSS <ttl> is honoured
        ({"ttl_s": 24 * 3600}, 5 * MIN, HOUR),  # ...up to an hour
        ({"cache_until": at(12 * MIN)}, 5 * MIN, 12 * MIN),  # Cache-Control max-age / Expires
        ({"cache_until": at(-MIN)}, 5 * MIN, 5 * MIN),  # already stale: no effect
        ({"cache_until": at(2 * MIN)}, 5 * MIN, 5 * MIN),  # shorter than the interval: no effect
        ({"ttl_s": 60, "usual_gap_s": 45 * 60}, 5 * MIN, 15 * MIN),  # the longest wait wins
        ({"consecutive_errors": 0, "usual_gap_s": 0}, 5 * MIN, 5 * MIN),
    ],
)
def test_healthy_feed_is_polled_at_its_adapted_interval(
    state: dict[str, Any], interval: timedelta, delay: timedelta
) -> None:
    assert next_check_at(state, Feed(interval), NOW, Fixed(0.0)) == NOW + delay


@pytest.mark.parametrize("jitter", [0.0, 0.5, 0.999])
def test_success_jitter_only_ever_delays_and_by_at_most_five_percent(jitter: float) -> None:
    delay = next_check_at({}, Feed(), NOW, Fixed(jitter)) - NOW
    assert 5 * MIN <= delay <= 5 * MIN * 1.05


@pytest.mark.parametrize(
    ("errors", "middle_delay"),
    [
        (1, 5 * MIN),
        (2, 10 * MIN),
        (3, 20 * MIN),
        (4, 40 * MIN),
        (5, 80 * MIN),
        (6, 160 * MIN),
        (7, 320 * MIN),
        (8, ERROR_BACKOFF_MAX),  # 640 min capped at 6 h
        (50, ERROR_BACKOFF_MAX),
        (10**6, ERROR_BACKOFF_MAX),  # never overflows, never stops
    ],
)
def test_errors_back_off_exponentially_up_to_six_hours(errors: int, middle_delay: timedelta) -> None:
    state = {"consecutive_errors": errors}
    assert next_check_at(state, Feed(), NOW, Fixed(0.5)) == NOW + middle_delay


@pytest.mark.parametrize(
    ("errors", "low", "high"),
    [(1, 4 * MIN, 6 * MIN), (3, 16 * MIN, 24 * MIN), (20, ERROR_BACKOFF_MAX * 0.8, ERROR_BACKOFF_MAX)],
)
def test_back_off_jitter_spreads_retries_within_twenty_percent(errors: int, low: timedelta, high: timedelta) -> None:
    state = {"consecutive_errors": errors}
    assert next_check_at(state, Feed(), NOW, Fixed(0.0)) == NOW + low
    assert next_check_at(state, Feed(), NOW, Fixed(1.0)) == NOW + high


def test_back_off_jitter_differs_between_feeds() -> None:
    rng = random.Random(7)
    delays = {next_check_at({"consecutive_errors": 3}, Feed(), NOW, rng) for _ in range(20)}
    assert len(delays) == 20


@pytest.mark.parametrize(
    ("retry_in", "errors", "delay"),
    [
        (30 * MIN, 1, 30 * MIN),  # Retry-After longer than the back-off wins
        (MIN, 3, 20 * MIN),  # shorter than the back-off: the back-off stands
        (48 * HOUR, 1, ERROR_BACKOFF_MAX),  # never more than the cap: polling does not stop
    ],
)
def test_retry_after_is_honoured_within_the_cap(retry_in: timedelta, errors: int, delay: timedelta) -> None:
    state = {"consecutive_errors": errors, "retry_at": at(retry_in)}
    assert next_check_at(state, Feed(), NOW, Fixed(0.5)) == NOW + delay


def test_a_gone_feed_is_only_checked_every_six_hours() -> None:
    assert next_check_at({"gone": True, "consecutive_errors": 1}, Feed(), NOW, Fixed(0.5)) == NOW + ERROR_BACKOFF_MAX


@pytest.mark.parametrize(
    ("headers", "fresh"),
    [
        ({}, None),
        ({"Cache-Control": "max-age=600"}, timedelta(seconds=600)),
        ({"Cache-Control": "public, max-age=900, s-maxage=60"}, timedelta(seconds=900)),
        ({"Cache-Control": 'max-age="300"'}, timedelta(seconds=300)),
        ({"Cache-Control": "no-cache, max-age=600"}, None),
        ({"Cache-Control": "no-store"}, None),
        ({"Cache-Control": "s-maxage=600"}, None),  # for shared caches, not for us
        ({"Expires": "Thu, 23 Jul 2026 06:30:00 GMT"}, 30 * MIN),
        ({"Expires": "Thu, 23 Jul 2026 06:30:00 GMT", "Date": "Thu, 23 Jul 2026 06:20:00 GMT"}, 10 * MIN),
        ({"Expires": "Thu, 23 Jul 2026 05:00:00 GMT"}, None),  # already expired
        ({"Expires": "0"}, None),
        ({"Expires": "-1"}, None),
        ({"Cache-Control": "max-age=120", "Expires": "Thu, 23 Jul 2026 09:00:00 GMT"}, 2 * MIN),  # max-age wins
    ],
)
def test_freshness_is_read_from_cache_control_then_expires(headers: dict[str, str], fresh: timedelta | None) -> None:
    assert freshness(headers, NOW) == fresh


STATES = st.fixed_dictionaries(
    {},
    optional={
        "consecutive_errors": st.integers(min_value=0, max_value=10**9),
        "usual_gap_s": st.floats(min_value=0, max_value=10**9),
        "ttl_s": st.floats(min_value=0, max_value=10**9),
        "gone": st.booleans(),
        "retry_at": st.timedeltas(min_value=-timedelta(days=30), max_value=timedelta(days=3650)).map(at),
        "cache_until": st.timedeltas(min_value=-timedelta(days=30), max_value=timedelta(days=3650)).map(at),
    },
)


@given(
    state=STATES,
    interval_s=st.integers(min_value=10, max_value=24 * 3600),
    jitter=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_polling_never_stops_and_never_outpaces_the_interval(
    state: dict[str, Any], interval_s: int, jitter: float
) -> None:
    interval = timedelta(seconds=interval_s)
    delay = next_check_at(state, Feed(interval), NOW, Fixed(jitter)) - NOW
    assert delay <= max(ERROR_BACKOFF_MAX, interval * 1.05)  # a feed is always checked again within 6 h
    if not state.get("consecutive_errors") and not state.get("gone"):
        assert delay >= interval  # success never polls sooner than the config says
    assert delay > timedelta(0)


CANDIDATES = [
    DueFeed("jagran-world", "jagran.example", NOW - 3 * MIN),
    DueFeed("jagran-desh", "jagran.example", NOW - 2 * MIN),
    DueFeed("jagran-city", "jagran.example", NOW - 1 * MIN),
    DueFeed("bbc-hindi", "bbc.example", NOW - 10 * MIN),
    DueFeed("amar-ujala", "amarujala.example", NOW),
    DueFeed("later", "later.example", NOW + MIN),
]


@pytest.mark.parametrize(
    ("limit", "per_host_max", "busy", "batch"),
    [
        (10, 2, {}, ["bbc-hindi", "jagran-world", "jagran-desh", "amar-ujala"]),  # not "later": not due
        (2, 2, {}, ["bbc-hindi", "jagran-world"]),  # most overdue first
        (10, 1, {}, ["bbc-hindi", "jagran-world", "amar-ujala"]),
        (10, 2, {"jagran.example": 1}, ["bbc-hindi", "jagran-world", "amar-ujala"]),  # one already running there
        (10, 2, {"jagran.example": 2, "bbc.example": 5}, ["amar-ujala"]),
        (0, 2, {}, []),
    ],
)
def test_batch_takes_due_feeds_most_overdue_first_within_per_host_limits(
    limit: int, per_host_max: int, busy: dict[str, int], batch: list[str]
) -> None:
    assert pick_batch(CANDIDATES, NOW, limit=limit, per_host_max=per_host_max, busy_hosts=busy) == batch
