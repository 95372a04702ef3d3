"""When to poll a feed next: pure arithmetic over its health state (see :mod:`worker.feeds.health`).

A healthy feed is polled at its configured ``interval``, stretched for feeds that publish rarely (up to four
times the interval, at most an hour) and for servers that ask for patience (RSS ``<ttl>``, ``Cache-Control:
max-age``, ``Expires``; honoured up to an hour). A failing feed backs off exponentially with jitter, honouring
``Retry-After``, up to six hours, and is never dropped: a feed that comes back is noticed within that time.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from worker.feeds.state import FeedState

POLLS_PER_USUAL_GAP = 3  # poll a few times between two items, so a new one waits a third of a gap at most
STRETCH_MAX_FACTOR = 4  # a quiet feed is polled at most this many times less often than configured...
STRETCH_MAX = timedelta(hours=1)  # ...and never less often than hourly for that reason alone
SERVER_HINT_MAX = timedelta(hours=1)  # a cache header or <ttl> cannot make us wait longer than this
ERROR_BACKOFF_MAX = timedelta(hours=6)
ERROR_BACKOFF_JITTER = 0.2  # ± fraction, so feeds that failed together do not retry together
SUCCESS_JITTER = 0.05  # + fraction only: never poll sooner than configured
MAX_BACKOFF_DOUBLINGS = 20
MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
NO_FRESHNESS = re.compile(r"\b(no-cache|no-store)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DueFeed:
    name: str
    host: str  # the publisher's host: feeds on one host share its politeness limit
    due_at: datetime


class Random(Protocol):
    def random(self) -> float: ...


class HasInterval(Protocol):
    @property
    def interval(self) -> timedelta: ...


def next_check_at(state: FeedState, feed: HasInterval, now: datetime, rng: Random) -> datetime:
    """The next time to poll; always within :data:`ERROR_BACKOFF_MAX` of ``now``, never sooner than asked."""
    if state.get("gone"):
        return now + ERROR_BACKOFF_MAX  # 410: only a slow check that it has come back
    if int(state.get("consecutive_errors") or 0) > 0:
        return now + error_delay(state, feed.interval, now, rng)
    return now + success_delay(state, feed.interval, now, rng)


def due_at(state: FeedState, now: datetime) -> datetime:
    """When the feed should be polled next: the time its last poll set, or now for a feed never polled."""
    return _moment(state.get("next_check_at")) or now


def pick_batch(
    candidates: Iterable[DueFeed],
    now: datetime,
    *,
    limit: int,
    per_host_max: int,
    busy_hosts: Mapping[str, int] | None = None,
) -> list[str]:
    """The feeds to dispatch now: due ones, most overdue first, at most ``limit``, and never more than
    ``per_host_max`` polls in flight on one host (``busy_hosts`` counts those already running)."""
    in_flight = dict(busy_hosts or {})
    batch: list[str] = []
    for feed in sorted((feed for feed in candidates if feed.due_at <= now), key=lambda feed: feed.due_at):
        if len(batch) == limit:
            break
        if in_flight.get(feed.host, 0) < per_host_max:
            in_flight[feed.host] = in_flight.get(feed.host, 0) + 1
            batch.append(feed.name)
    return batch


def success_delay(state: FeedState, interval: timedelta, now: datetime, rng: Random) -> timedelta:
    """The configured interval, adapted to the publishing rate, then to the server's hints, plus a little jitter."""
    delay = max(adaptive_interval(state, interval), min(server_hint(state, now), SERVER_HINT_MAX))
    return delay * (1 + SUCCESS_JITTER * rng.random())


def adaptive_interval(state: FeedState, interval: timedelta) -> timedelta:
    """A third of the feed's usual gap between items, clamped to [interval, stretch limit]."""
    usual_gap_s = state.get("usual_gap_s")
    if not usual_gap_s:
        return interval
    longest = max(interval, min(interval * STRETCH_MAX_FACTOR, STRETCH_MAX))
    return min(max(timedelta(seconds=float(usual_gap_s) / POLLS_PER_USUAL_GAP), interval), longest)


def server_hint(state: FeedState, now: datetime) -> timedelta:
    """How long the server asked us to wait after its last answer (zero when it did not ask)."""
    waits = [timedelta(seconds=float(state.get("ttl_s") or 0))]
    cache_until = _moment(state.get("cache_until"))
    if cache_until is not None:
        waits.append(cache_until - now)
    return max(max(waits), timedelta(0))


def error_delay(state: FeedState, interval: timedelta, now: datetime, rng: Random) -> timedelta:
    """interval × 2^(errors-1) with ± jitter, at least what Retry-After asked, at most six hours."""
    doublings = min(max(int(state.get("consecutive_errors") or 1) - 1, 0), MAX_BACKOFF_DOUBLINGS)
    backoff = min(interval * (1 << doublings), ERROR_BACKOFF_MAX)
    jittered = backoff * (1 + ERROR_BACKOFF_JITTER * (2 * rng.random() - 1))
    retry_at = _moment(state.get("retry_at"))
    asked = retry_at - now if retry_at is not None else timedelta(0)
    return min(max(jittered, asked), ERROR_BACKOFF_MAX)


def freshness(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long a response says it stays fresh: Cache-Control max-age, else Expires (against its Date)."""
    control = headers.get("Cache-Control") or ""
    if NO_FRESHNESS.search(control):
        return None
    found = MAX_AGE.search(control)
    if found:
        return timedelta(seconds=int(found.group(1)))
    expires = _http_date(headers.get("Expires"))
    if expires is None:
        return None
    left = expires - (_http_date(headers.get("Date")) or now)
    return left if left > timedelta(0) else None


def _http_date(value: str | None) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(value or "")
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
