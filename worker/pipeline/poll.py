"""Poll one feed: conditional GET, parse, and decide which entries are new articles worth processing.

The caller enqueues the returned jobs first and calls :func:`finish_poll` after, so a crash in between polls
the entries again (harmless: alerts are idempotent) instead of losing them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from worker.errors import FeedError, FetchError
from worker.feeds import FeedEntry, parse_feed
from worker.http.client import FEED_MAX_BYTES
from worker.pipeline.engine import Engine
from worker.store import Store

log = logging.getLogger(__name__)

FIRST_POLL_BACKLOG = timedelta(hours=24)  # older items in a newly added feed are history, not news
FUTURE_TOLERANCE = timedelta(hours=6)  # publishers' clocks and time zones are often a few hours off
POLL_LOCK_FRACTION = 0.8  # a second beat within 80 % of the interval finds the feed already polled


@dataclass(frozen=True)
class ArticleJob:
    """One new article to process; JSON-able, so it can travel in a Celery message."""

    feed: str
    key: str
    url: str | None
    title: str
    summary_html: str
    published: str | None  # ISO-8601

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleJob:
        return cls(**data)

    @property
    def published_at(self) -> datetime | None:
        return datetime.fromisoformat(self.published) if self.published else None


@dataclass
class PollResult:
    feed: str
    status: str  # "new" | "not-modified" | "locked" | "unknown-feed"
    jobs: list[ArticleJob] = field(default_factory=list)
    recorded_only: list[str] = field(default_factory=list)  # keys of entries too old or too new to alert
    state: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def poll_feed(engine: Engine, feed_name: str, now: datetime, *, use_lock: bool = True) -> PollResult:
    """Fetch and parse ``feed_name``; raise :class:`FetchError` / :class:`FeedError` (recorded in its state)."""
    feed = engine.config.feed(feed_name)
    if feed is None:
        return PollResult(feed_name, "unknown-feed")
    store = engine.store
    lock_ttl_s = feed.interval.total_seconds() * POLL_LOCK_FRACTION
    if use_lock and not store.try_lock(f"poll:{feed_name}", lock_ttl_s):
        return PollResult(feed_name, "locked")
    state = store.get_feed_state(feed_name)
    try:
        response = engine.http().get(str(feed.url), headers=_conditional_headers(state), max_bytes=FEED_MAX_BYTES)
        if response.status == 304:
            return PollResult(feed_name, "not-modified", state=_succeeded(state, now, response.headers))
        document = parse_feed(response.body, url=str(feed.url), content_type=response.content_type)
    except (FetchError, FeedError) as exc:
        store.put_feed_state(feed_name, _failed(state, now, exc))
        raise
    for warning in document.warnings:
        log.warning("feeds: %s: %s (its items are used anyway)", feed_name, warning)
    result = PollResult(feed_name, "new", state=_succeeded(state, now, response.headers), warnings=document.warnings)
    _sort_entries(result, document.entries, store, now, first_poll=not state.get("polled"), max_age=feed.max_age)
    return result


def finish_poll(store: Store, result: PollResult) -> None:
    """Record the entries as seen and the feed's validators, once the jobs are safely enqueued."""
    for key in [job.key for job in result.jobs] + result.recorded_only:
        store.mark_seen(key)
    if result.state:
        store.put_feed_state(result.feed, result.state)


def _sort_entries(
    result: PollResult,
    entries: tuple[FeedEntry, ...],
    store: Store,
    now: datetime,
    *,
    first_poll: bool,
    max_age: timedelta,
) -> None:
    oldest = now - (min(max_age, FIRST_POLL_BACKLOG) if first_poll else max_age)
    queued: set[str] = set()
    for entry in entries:
        if entry.key in queued or store.is_seen(entry.key):
            continue
        queued.add(entry.key)
        published = entry.published
        if published is not None and not (oldest <= published <= now + FUTURE_TOLERANCE):
            result.recorded_only.append(entry.key)
            continue
        result.jobs.append(_job(result.feed, entry))


def _job(feed: str, entry: FeedEntry) -> ArticleJob:
    published = entry.published.isoformat() if entry.published else None
    return ArticleJob(feed, entry.key, entry.link, entry.title, entry.summary_html, published)


def _conditional_headers(state: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def _succeeded(state: dict[str, Any], now: datetime, headers: Any) -> dict[str, Any]:
    updated = {**state, "polled": True, "last_success": now.isoformat(), "consecutive_errors": 0, "last_error": ""}
    for header, key in (("ETag", "etag"), ("Last-Modified", "last_modified")):
        if headers.get(header):
            updated[key] = headers[header]
    return updated


def _failed(state: dict[str, Any], now: datetime, exc: Exception) -> dict[str, Any]:
    errors = int(state.get("consecutive_errors", 0)) + 1
    return {**state, "last_error": str(exc), "last_error_at": now.isoformat(), "consecutive_errors": errors}
