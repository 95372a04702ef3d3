"""Which feeds to poll now: beat's tick reads every feed's next-check time and dispatches the due ones.

A tick dispatches at most :data:`DISPATCH_BATCH_MAX` feeds, most overdue first, and never lets more than
:data:`PER_HOST_POLLS_MAX` polls of one host be in flight, across every worker and beat: a dispatched poll holds
a lease in its host's group from dispatch until it finishes (:func:`release_poll`), or until
:data:`POLL_LEASE_S` has passed for a poll that died. A feed holds at most one lease, which is what makes a second
beat harmless: its tick cannot dispatch a feed already dispatched, and a feed whose poll has finished since the
tick read it is no longer due when read again under the lease.

A tick looks one tick ahead: a feed due before the next tick is dispatched now with its due time as the start
time, so a poll starts on time instead of up to a tick late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from worker.config.models import FeedConfig
from worker.feeds import DueFeed, due_at, pick_batch
from worker.feeds.state import FeedState
from worker.store import Store

TICK_INTERVAL_S = 5.0
DISPATCH_BATCH_MAX = 250  # per tick: 50 polls a second, so a round of 1,000 new feeds is dispatched in 20 s
PER_HOST_POLLS_MAX = 4  # polls of one host in flight at once, for all workers together: a browser opens six
POLL_LEASE_S = 300.0  # longer than a poll can wait and run (its task dies at 180 s): frees a host after a crash
POLL_EXPIRES_S = 120.0  # a poll still queued this long after its start time is dropped; its lease then lapses
BATCH_WINDOW_S = 0.5  # polls due this close together travel in one task, started at the latest of their times
POLL_BATCH_MAX = 12  # per task: a queued task costs about as much CPU as a 304 poll, so few tasks poll many feeds


@dataclass(frozen=True)
class Dispatch:
    """One poll to enqueue: start it at ``start_at`` (its due time, or now), drop it if not started by
    ``expires_at``."""

    feed: str
    start_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PollBatch:
    """Polls to run together in one task: start at ``start_at`` (none of them is due later), drop the task if it
    has not started by ``expires_at``."""

    feeds: tuple[str, ...]
    start_at: datetime
    expires_at: datetime


def dispatch_due(
    feeds: Sequence[FeedConfig],
    store: Store,
    now: datetime,
    *,
    limit: int = DISPATCH_BATCH_MAX,
    per_host_max: int = PER_HOST_POLLS_MAX,
) -> list[Dispatch]:
    """Claim the feeds due before the next tick (a feed never polled is due at once) and return them."""
    horizon = now + timedelta(seconds=TICK_INTERVAL_S)
    states = store.get_feed_states([feed.name for feed in feeds])
    candidates = {feed.name: _candidate(feed, states[feed.name], now) for feed in feeds}
    hosts = sorted({candidate.host for candidate in candidates.values()})
    leases = store.count_leases([lease_group(host) for host in hosts], now.timestamp())
    busy = {host: leases[lease_group(host)] for host in hosts}
    picked = pick_batch(candidates.values(), horizon, limit=limit, per_host_max=per_host_max, busy_hosts=busy)
    claimed = (_claim(store, candidates[name], now, horizon, per_host_max) for name in picked)
    return [dispatch for dispatch in claimed if dispatch is not None]


def batch_dispatches(
    dispatches: Sequence[Dispatch], *, window_s: float = BATCH_WINDOW_S, size: int = POLL_BATCH_MAX
) -> list[PollBatch]:
    """Group polls whose start times lie within ``window_s`` of the group's first, at most ``size`` a group.

    A group starts at its latest start time, so no feed is polled before it is due (a ``Retry-After`` is kept);
    the others wait at most ``window_s`` for it.
    """
    window = timedelta(seconds=window_s)
    batches: list[list[Dispatch]] = []
    for dispatch in sorted(dispatches, key=lambda dispatch: dispatch.start_at):
        current = batches[-1] if batches else None
        if current and len(current) < size and dispatch.start_at - current[0].start_at <= window:
            current.append(dispatch)
        else:
            batches.append([dispatch])
    return [
        PollBatch(
            tuple(dispatch.feed for dispatch in batch),
            max(dispatch.start_at for dispatch in batch),
            min(dispatch.expires_at for dispatch in batch),
        )
        for batch in batches
    ]


def release_poll(store: Store, feed: FeedConfig) -> None:
    """The poll of ``feed`` has finished (its state is saved): give its host's place to the next poll."""
    store.release_lease(lease_group(host_of(str(feed.url))), feed.name)


def host_of(url: str) -> str:
    """The host a feed's polls count against: its name, and its port when the URL names one (as allow_hosts)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def lease_group(host: str) -> str:
    return f"poll-host:{host}"


def _candidate(feed: FeedConfig, state: FeedState, now: datetime) -> DueFeed:
    return DueFeed(feed.name, host_of(str(feed.url)), due_at(state, now))


def _claim(store: Store, candidate: DueFeed, now: datetime, horizon: datetime, per_host_max: int) -> Dispatch | None:
    group = lease_group(candidate.host)
    if not store.acquire_lease(group, candidate.name, per_host_max, POLL_LEASE_S, now.timestamp()):
        return None  # another tick dispatched it, or filled its host, since this one looked
    # Read again under the lease: a poll that finished after the first read has moved its next check on.
    due = due_at(store.get_feed_state(candidate.name), now)
    if due > horizon:
        store.release_lease(group, candidate.name)
        return None
    start = max(due, now)
    return Dispatch(candidate.name, start, start + timedelta(seconds=POLL_EXPIRES_S))
