"""The state store: what khabardar remembers between polls, restarts and workers.

Two implementations behave the same: :class:`~worker.store.redis_store.RedisStore` (``KHABARDAR_REDIS_URL``) and
:class:`~worker.store.sqlite_store.SqliteStore` (the embedded default under ``KHABARDAR_DATA_DIR``). Every
operation that two workers could race on is atomic in both.

The outbox holds one record per alert id. Its life::

    pending ──claim──▶ (pending, claimed until T) ──sent──▶ sent
       ▲                         │
       └──────── retry ──────────┤  (next attempt at some time; the claim is released)
                                 └──dead──▶ dead ──replay──▶ pending

A sent record is forgotten ``Retention.done_alert_s`` after it was sent, a dead one ``dead_alert_s`` after it died
(unless replayed), a pending one never; a seen article ``seen_s`` after it was marked. Redis expires them itself;
the SQLite store prunes itself as it is written to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from worker.store.concerns import Outbox, RateLimits, SeenArticles

OutboxState = Literal["pending", "sent", "dead"]
OUTBOX_STATES: tuple[OutboxState, ...] = ("pending", "sent", "dead")
DAY_S = 24 * 3600
SEEN_RETENTION_S = 90 * DAY_S  # longer than any feed keeps an item, so an old item is never new again
DONE_ALERT_RETENTION_S = 90 * DAY_S
# A dead letter is an alert someone should still look at (and may replay), so it outlives a sent one; it is not
# kept forever because a channel left disabled dead-letters every alert to it, day after day.
DEAD_ALERT_RETENTION_S = 180 * DAY_S


@dataclass(frozen=True)
class Retention:
    """How long each kind of record is kept after its last change; both stores forget it then, no sooner."""

    seen_s: float = SEEN_RETENTION_S
    done_alert_s: float = DONE_ALERT_RETENTION_S
    dead_alert_s: float = DEAD_ALERT_RETENTION_S


PRODUCTION_RETENTION = Retention()


@dataclass(frozen=True)
class OutboxRecord:
    id: str
    state: OutboxState
    alert: dict[str, Any]  # Alert.to_dict()
    attempts: int
    next_at: float  # epoch seconds of the next delivery attempt
    claimed_until: float
    last_error: str
    created_at: float
    updated_at: float


class Store(SeenArticles, Outbox, RateLimits, Protocol):
    """Everything the engine keeps. Times are epoch seconds (``time.time()``).

    Besides the concerns above: the state of each feed and channel of the config (kept as long as the store), and
    the leases and locks that pace polling (gone by themselves when their time is up)."""

    def get_feed_state(self, feed: str) -> dict[str, Any]: ...
    def put_feed_state(self, feed: str, state: dict[str, Any]) -> None: ...

    # channels
    def get_channel_state(self, channel: str) -> dict[str, Any]: ...
    def put_channel_state(self, channel: str, state: dict[str, Any]) -> None: ...

    # --- polling: many feeds' states at once, and leases that cap how many polls of one host are in flight ---
    def get_feed_states(self, feeds: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The state of each of ``feeds`` in one round trip (``{}`` for a feed never polled)."""
        ...

    def acquire_lease(self, group: str, member: str, limit: int, ttl_s: float, now: float) -> bool:
        """Let ``member`` into ``group`` until ``now + ttl_s``; False when it is already in, or ``limit`` members
        whose leases have not expired are: the check and the entry are one atomic step."""
        ...

    def release_lease(self, group: str, member: str) -> None: ...
    def count_leases(self, groups: Sequence[str], now: float) -> dict[str, int]:
        """How many unexpired leases each group holds."""
        ...

    def try_lock(self, key: str, ttl_s: float, *, now: float | None = None) -> bool:
        """Hold ``key`` alone until ``now + ttl_s`` (one poll of a feed at a time, across workers and beats)."""
        ...

    # --- housekeeping ---
    def prune(self, now: float) -> None:
        """Forget every record whose retention (or lease, lock, bucket, slot) has run out at ``now``."""
        ...

    def ping(self) -> None: ...
    def close(self) -> None: ...
