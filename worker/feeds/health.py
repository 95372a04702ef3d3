"""Feed health as pure functions over the state the store keeps per feed (:class:`~worker.feeds.state.FeedState`,
where every key is listed with its meaning).
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from worker.errors import BlockedURLError, FeedError, FetchError
from worker.feeds.parse import NotAFeedError
from worker.feeds.schedule import freshness
from worker.feeds.state import ErrorKind, FeedState, SicknessCode
from worker.http.errors import FetchTimeoutError, FetchTooLargeError

GAP_SAMPLE_ITEMS = 20  # the newest items say how often the feed publishes now
MIN_USUAL_GAP_S = 60.0
MAX_USUAL_GAP_S = 30 * 86400.0
OBSERVED_GAP_WEIGHT = 0.3  # how much one poll's observation moves the estimate when items carry no dates
SILENCE_FACTOR = 3
SILENCE_MIN = timedelta(hours=6)  # Hindi desks go quiet at night; a few quiet hours are not sickness
FAILING_AFTER_ERRORS = 3
NOT_A_FEED_AFTER_ERRORS = 2  # one HTML answer may be a passing CDN or maintenance page
SECONDS_PER_DAY = 86400.0
STATUS_KINDS: dict[int, ErrorKind] = {404: "not-found", 410: "gone", 429: "rate-limited"}
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class Sickness:
    code: SicknessCode
    message: str  # for people: what is wrong and what to do


def conditional_headers(state: FeedState) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last answer's validators."""
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = str(state["etag"])
    if state.get("last_modified"):
        headers["If-Modified-Since"] = str(state["last_modified"])
    return headers


def request_headers(state: FeedState) -> dict[str, str]:
    """Everything a feed poll sends besides the defaults: what we accept, and the conditional headers."""
    return {"Accept": FEED_ACCEPT, **conditional_headers(state)}


def body_digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def is_unchanged(state: FeedState, body: bytes) -> bool:
    """True when a 200 body is the one seen last time (its ETag may have changed; parsing can be skipped)."""
    return bool(state.get("body_hash")) and state.get("body_hash") == body_digest(body)


def record_success(
    state: FeedState,
    now: datetime,
    *,
    status: int,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    new_entries: int = 0,
    published: Iterable[datetime | None] = (),
    ttl_s: float | None = None,
    moved_to: str | None = None,
) -> FeedState:
    """The state after a 200 or 304; ``new_entries`` counts items not seen before, ``published`` all items' dates."""
    found = headers or {}
    updated = _checked(state, now) | {"polled": True, "last_success": now.isoformat(), "last_status": status}
    # a 304 carries no document, so the <ttl> read from the last 200 stays
    updated |= {"consecutive_errors": 0, "gone": False, "ttl_s": state.get("ttl_s") if status == 304 else ttl_s}
    updated |= _counts(state, status, body)
    updated |= _validators(state, status, found) | _cache(found, now) | _moved(moved_to)
    updated |= _publishing(state, now, new_entries, list(published))
    updated.pop("retry_at", None)
    return updated


def record_error(state: FeedState, now: datetime, error: Exception) -> FeedState:
    """The state after a failed poll: the error's kind, message and status, and one more consecutive error."""
    status: int | None = getattr(error, "status", None)
    retry_after_s: float | None = getattr(error, "retry_after_s", None)
    updated: FeedState = _checked(state, now) | {
        "consecutive_errors": int(state.get("consecutive_errors") or 0) + 1,
        "last_error": str(error),
        "last_error_kind": error_kind(error),
        "last_error_at": now.isoformat(),
        "last_error_status": status,
        "gone": status == 410,
    }
    updated.pop("retry_at", None)
    if retry_after_s:
        updated["retry_at"] = (now + timedelta(seconds=float(retry_after_s))).isoformat()
    return updated


def error_kind(error: Exception) -> ErrorKind:
    """A short, stable name for what went wrong: for the health table, back-off and sickness."""
    status: int | None = getattr(error, "status", None)
    kinds: tuple[tuple[type[Exception], ErrorKind], ...] = (
        (BlockedURLError, "blocked"),
        (FetchTimeoutError, "timeout"),
        (FetchTooLargeError, "too-large"),
        (NotAFeedError, "not-a-feed"),
        (FeedError, "bad-feed"),
    )
    for kind, name in kinds:
        if isinstance(error, kind):
            return name
    if isinstance(error, FetchError) and status is not None:
        return STATUS_KINDS.get(status) or ("server-error" if status >= 500 else "client-error")
    return "network" if isinstance(error, FetchError) else "unknown"


def not_modified_share(state: FeedState) -> float | None:
    """The share of successful polls that came back 304, or None before the first success."""
    checks = int(state.get("checks_ok") or 0)
    return int(state.get("not_modified") or 0) / checks if checks else None


def diagnose(state: FeedState, now: datetime) -> Sickness | None:
    """What is wrong with the feed, most serious first, or None when it is healthy."""
    errors = int(state.get("consecutive_errors") or 0)
    if state.get("gone"):
        return Sickness("gone", "is gone (HTTP 410); checked only every 6 h now: remove it or fix its url")
    if state.get("moved_to"):
        return Sickness("moved", f"has moved permanently to {state['moved_to']}: put that url in the config")
    if errors >= NOT_A_FEED_AFTER_ERRORS and state.get("last_error_kind") == "not-a-feed":
        return Sickness("not-a-feed", "answers an HTML page (or other document) instead of a feed: find its new url")
    if errors >= FAILING_AFTER_ERRORS:
        return Sickness("failing", f"failed {errors} polls in a row; last error: {state.get('last_error', '')}")
    return _silence(state, now)


def sickness(state: FeedState, now: datetime) -> str | None:
    """What is wrong with the feed, for people, or None when it is healthy."""
    found = diagnose(state, now)
    return found.message if found else None


def announcement(state: FeedState, now: datetime) -> tuple[FeedState, str | None]:
    """The message to send to ``ops`` now (a new sickness, or recovery from one), and the state remembering it."""
    found = diagnose(state, now)
    code: SicknessCode | Literal[""] = found.code if found else ""
    if code == (state.get("announced") or ""):
        return state.copy(), None
    message = found.message if found else "is healthy again"
    return state | {"announced": code}, message


def _checked(state: FeedState, now: datetime) -> FeedState:
    return state | {"first_check": state.get("first_check") or now.isoformat(), "last_check": now.isoformat()}


def _counts(state: FeedState, status: int, body: bytes | None) -> FeedState:
    unchanged = status != 304 and body is not None and is_unchanged(state, body)
    counts: FeedState = {
        "checks_ok": int(state.get("checks_ok") or 0) + 1,
        "not_modified": int(state.get("not_modified") or 0) + (status == 304),
        "unchanged": int(state.get("unchanged") or 0) + unchanged,
    }
    if body is not None and status != 304:
        counts["body_hash"] = body_digest(body)
    return counts


def _validators(state: FeedState, status: int, headers: Mapping[str, str]) -> FeedState:
    """A 200 replaces the validators (dropping any the server stopped sending); a 304 may refresh them."""
    kept: FeedState = {"etag": state.get("etag"), "last_modified": state.get("last_modified")} if status == 304 else {}
    return {
        "etag": headers.get("ETag") or kept.get("etag"),
        "last_modified": headers.get("Last-Modified") or kept.get("last_modified"),
    }


def _cache(headers: Mapping[str, str], now: datetime) -> FeedState:
    fresh_for = freshness(headers, now)
    return {"cache_until": (now + fresh_for).isoformat() if fresh_for else None}


def _moved(moved_to: str | None) -> FeedState:
    return {"moved_to": moved_to}


def _publishing(state: FeedState, now: datetime, new_entries: int, published: list[datetime | None]) -> FeedState:
    gap_s = _dated_gap_s(published) or _observed_gap_s(state, now, new_entries)
    updated: FeedState = {"new_entries_total": int(state.get("new_entries_total") or 0) + new_entries}
    if new_entries:
        updated["last_new_entry"] = now.isoformat()
    if gap_s:
        gap_s = min(max(gap_s, MIN_USUAL_GAP_S), MAX_USUAL_GAP_S)
        updated |= {"usual_gap_s": round(gap_s, 1), "entries_per_day": round(SECONDS_PER_DAY / gap_s, 2)}
    return updated


def _dated_gap_s(published: list[datetime | None]) -> float | None:
    """The median gap between the newest dated items; None with fewer than three distinct dates."""
    moments = sorted({moment for moment in published if moment is not None}, reverse=True)[:GAP_SAMPLE_ITEMS]
    if len(moments) < 3:
        return None
    return statistics.median((newer - older).total_seconds() for newer, older in itertools.pairwise(moments))


def _observed_gap_s(state: FeedState, now: datetime, new_entries: int) -> float | None:
    """For undated feeds: time since the last new item per new item, smoothed into the previous estimate."""
    last = state.get("last_new_entry")
    if not new_entries or not last:
        return state.get("usual_gap_s")
    observed = (now - datetime.fromisoformat(last)).total_seconds() / new_entries
    previous = state.get("usual_gap_s")
    return observed if not previous else previous + OBSERVED_GAP_WEIGHT * (observed - float(previous))


def _silence(state: FeedState, now: datetime) -> Sickness | None:
    usual_gap_s = state.get("usual_gap_s")
    since = state.get("last_new_entry") or state.get("first_check")
    if not usual_gap_s or not since:
        return None
    quiet = now - datetime.fromisoformat(since)
    if quiet <= max(SILENCE_FACTOR * timedelta(seconds=float(usual_gap_s)), SILENCE_MIN):
        return None
    hours = quiet.total_seconds() / 3600
    usual = float(usual_gap_s) / 3600
    return Sickness("silent", f"has had no new item for {hours:.0f} h (usually one every {usual:.1f} h)")
