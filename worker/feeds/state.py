"""What khabardar remembers about one feed between polls (the store's ``get_feed_state``), and its closed sets
of names.

Every key is optional: a feed never polled has ``{}``. All values are JSON; times are ISO-8601 strings with a
zone. :mod:`worker.feeds.health` writes the health keys, :mod:`worker.pipeline.poll` the two schedule keys.
"""

from __future__ import annotations

from typing import Literal, TypedDict

SicknessCode = Literal["gone", "moved", "not-a-feed", "failing", "silent"]
"""What is wrong with a feed, most serious first; stable, so each is announced to ``ops`` once."""

HealthStatus = Literal["ok", "new", "gone", "moved", "not-a-feed", "failing", "silent"]
"""The ``status`` column of ``khabardar feeds``: ``new`` before the first success, ``ok``, or a sickness."""

ErrorKind = Literal[
    "blocked",
    "timeout",
    "too-large",
    "not-a-feed",
    "bad-feed",
    "not-found",
    "gone",
    "rate-limited",
    "server-error",
    "client-error",
    "network",
    "unknown",
]
"""A short, stable name for what went wrong in a poll (:func:`worker.feeds.health.error_kind`)."""


class FeedState(TypedDict, total=False):
    polled: bool  # a poll has succeeded at least once (the first poll does not alert old items)
    first_check: str  # the first poll attempt
    last_check: str  # the last poll attempt, success or error
    last_success: str  # the last 200 or 304
    last_status: int  # 200 or 304
    etag: str | None  # validators for the next conditional GET (None when the server sent none)
    last_modified: str | None
    body_hash: str  # digest of the last 200 body (servers that change the ETag of an unchanged feed)
    checks_ok: int  # successful polls...
    not_modified: int  # ...how many of them were 304...
    unchanged: int  # ...and how many a 200 with the body seen last time
    new_entries_total: int  # new items seen over the feed's life
    last_new_entry: str  # when a poll last found a new item
    usual_gap_s: float  # usual time between items (median of dated items, else observed)
    entries_per_day: float  # 86400 / usual_gap_s
    ttl_s: float | None  # the feed's <ttl>
    cache_until: str | None  # from Cache-Control max-age or Expires
    consecutive_errors: int  # errors since the last success (0 when healthy)
    last_error: str  # the last error, kept after recovery: its message...
    last_error_kind: ErrorKind  # ...kind...
    last_error_at: str  # ...time...
    last_error_status: int | None  # ...and HTTP status, if it had one
    retry_at: str  # when Retry-After allows the next attempt
    moved_to: str | None  # where a permanent redirect points (suggest it as the feed's new URL)
    gone: bool  # the feed answered 410 (checked only every 6 h until it returns)
    announced: SicknessCode | Literal[""]  # the sickness last announced to ops ("" when healthy)
    next_check_at: str  # when the tick dispatches the next poll
    last_due_at: str | None  # the next_check_at the last poll ran for (last_check minus it: how late it ran)
