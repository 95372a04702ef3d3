"""Poll one feed: conditional GET, parse, hand the new articles on, record what was seen.

:func:`run_poll` is the whole poll, as the Celery task and ``khabardar once`` run it: take the feed's poll lock,
fetch and parse, hand each new article to the caller's ``enqueue``, then mark the entries seen and save the
feed's state, then give the host lease back. The articles are handed on before they are marked seen, so a crash
in between polls them again (harmless: alerts are idempotent) instead of losing them. Every poll records the
feed's health (:mod:`worker.feeds.health`) and its next check time (:func:`worker.feeds.next_check_at`), which
the tick (:mod:`worker.pipeline.dispatch`) reads to dispatch it again.

Why a poll lock beside the host leases: a lease stops a *tick* dispatching a feed twice, but a poll task can run
again without being dispatched again. The task retries itself after a store error (the whole batch, feeds
already polled included), and a task whose worker died is handed to another worker (``acks_late``). The lease is
released when a poll ends, so neither rerun meets it; the lock, taken atomically when the poll starts and kept
for :data:`POLL_LOCK_FRACTION` of the interval, turns such a rerun into a ``"locked"`` no-op instead of a second
request that ignores the feed's schedule (and a ``Retry-After`` it may have sent). Reading the next check time
instead would not do: the state is written only when a poll ends, so two reruns at once would both find the feed
due.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from worker import metrics
from worker.config.models import FeedConfig
from worker.errors import FeedError, FetchError
from worker.feeds import (
    FeedEntry,
    announcement,
    is_unchanged,
    next_check_at,
    parse_feed,
    record_error,
    record_success,
    request_headers,
)
from worker.feeds.state import FeedState
from worker.http.client import FEED_MAX_BYTES, HttpResponse
from worker.pipeline.dispatch import release_poll
from worker.pipeline.engine import Engine
from worker.pipeline.ops import notify_ops
from worker.store import Store

log = logging.getLogger(__name__)

FIRST_POLL_BACKLOG = timedelta(hours=24)  # older items in a newly added feed are history, not news
FUTURE_TOLERANCE = timedelta(hours=6)  # publishers' clocks and time zones are often a few hours off
POLL_LOCK_FRACTION = 0.8  # a second beat within 80 % of the interval finds the feed already polled
_RANDOM = random.SystemRandom()  # jitter for the next check; unlike a seeded Random, no two forked workers agree


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


PollStatus = Literal["new", "not-modified", "unchanged", "locked", "unknown-feed"]
"""``not-modified``: a 304; ``unchanged``: a 200 with the body parsed last time; ``locked``: polled moments ago."""


@dataclass
class PollResult:
    feed: str
    status: PollStatus
    jobs: list[ArticleJob] = field(default_factory=list)
    recorded_only: list[str] = field(default_factory=list)  # keys of entries too old or too new to alert
    state: FeedState = field(default_factory=lambda: FeedState())
    warnings: tuple[str, ...] = ()


@metrics.timed_poll
def run_poll(
    engine: Engine,
    feed_name: str,
    now: datetime,
    *,
    enqueue: Callable[[ArticleJob], None],
    scheduled: bool = True,
    record: bool = True,
) -> PollResult:
    """Poll ``feed_name`` and hand each new article to ``enqueue``; raise :class:`FetchError` /
    :class:`FeedError` after recording them in the feed's state.

    ``scheduled`` polls (dispatched by a tick) take the poll lock and release the host lease however they end;
    ``khabardar once``, alone in its process, does neither. ``record=False`` (a dry run) leaves the state, the
    seen marks and the ``ops`` channel alone.
    """
    feed = engine.config.feed(feed_name)
    if feed is None:
        return PollResult(feed_name, "unknown-feed")
    try:
        if scheduled and not _lock(engine.store, feed):
            return PollResult(feed_name, "locked")
        result = _poll(engine, feed, now, record=record)
        for job in result.jobs:
            enqueue(job)
        if record:
            _finish(engine.store, result)
        return result
    finally:
        if scheduled:
            release_poll(engine.store, feed)


def _lock(store: Store, feed: FeedConfig) -> bool:
    return store.try_lock(f"poll:{feed.name}", feed.interval.total_seconds() * POLL_LOCK_FRACTION)


def _poll(engine: Engine, feed: FeedConfig, now: datetime, *, record: bool) -> PollResult:
    """Fetch and parse the feed, and sort its unseen entries into jobs and entries only to record."""
    store = engine.store
    feed_name = feed.name
    state = store.get_feed_state(feed_name)
    try:
        response = engine.http().get(str(feed.url), headers=request_headers(state), max_bytes=FEED_MAX_BYTES)
        if response.status == 304 or is_unchanged(state, response.body):
            return _not_modified(engine, feed, state, response, now, record=record)
        document = parse_feed(response.body, url=str(feed.url), content_type=response.content_type)
    except (FetchError, FeedError) as exc:
        failed = _next(engine, feed, record_error(state, now, exc), state, now, record=record)
        if record:
            store.put_feed_state(feed_name, failed)
        raise
    for warning in document.warnings:
        log.warning("feeds: %s: %s (its items are used anyway)", feed_name, warning)
    result = PollResult(feed_name, "new", warnings=document.warnings)
    _sort_entries(result, document.entries, store, now, first_poll=not state.get("polled"), max_age=feed.max_age)
    succeeded = record_success(
        state,
        now,
        status=response.status,
        headers=response.headers,
        body=response.body,
        new_entries=len(result.jobs) + len(result.recorded_only),
        published=[entry.published for entry in document.entries],
        ttl_s=document.ttl_s,
        moved_to=response.permanent_redirect,
    )
    result.state = _next(engine, feed, succeeded, state, now, record=record)
    return result


def _finish(store: Store, result: PollResult) -> None:
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


def _not_modified(
    engine: Engine, feed: FeedConfig, state: FeedState, response: HttpResponse, now: datetime, *, record: bool
) -> PollResult:
    """A 304, or a 200 whose body is the one parsed last time (a server that changes the ETag of an unchanged
    feed): nothing to parse, nothing new."""
    body = None if response.status == 304 else response.body
    succeeded = record_success(
        state,
        now,
        status=response.status,
        headers=response.headers,
        body=body,
        ttl_s=state.get("ttl_s"),  # the unchanged document still carries the <ttl> read from it before
        moved_to=response.permanent_redirect,
    )
    status: PollStatus = "not-modified" if response.status == 304 else "unchanged"
    return PollResult(feed.name, status, state=_next(engine, feed, succeeded, state, now, record=record))


def _next(
    engine: Engine, feed: FeedConfig, updated: FeedState, before: FeedState, now: datetime, *, record: bool
) -> FeedState:
    """The recorded outcome plus when to poll next; a new sickness (or a recovery) is announced once."""
    scheduled = updated | {
        "last_due_at": before.get("next_check_at"),  # last_check minus this is how late the poll ran
        "next_check_at": next_check_at(updated, feed, now, _RANDOM).isoformat(),
    }
    if not record:
        return scheduled
    announced, message = announcement(scheduled, now)
    if message:
        notify_ops(engine, f"khabardar: feed {feed.name} {message}")
    return announced
