"""The state store: what khabardar remembers between polls, restarts and workers.

Two implementations behave the same: :class:`~worker.store.redis_store.RedisStore` (``KHABARDAR_REDIS_URL``) and
:class:`~worker.store.sqlite_store.SqliteStore` (the embedded default under ``KHABARDAR_DATA_DIR``). Every
operation that two workers could race on is atomic in both.

The outbox holds one record per alert id. Its life::

    pending ──claim──▶ (pending, claimed until T) ──sent──▶ sent
       ▲                         │
       └──────── retry ──────────┤  (next attempt at some time; the claim is released)
                                 └──dead──▶ dead ──replay──▶ pending

An update of a sent alert (a later copy of its story, worker/pipeline/updates.py) is a record of its own, which
``outbox_rearm`` makes pending again, sent or dead, each time there is more to show.

A sent record is forgotten ``Retention.done_alert_s`` after it was sent, a dead one ``dead_alert_s`` after it died
(unless replayed), a pending one never; a seen article ``seen_s`` after it was marked. Redis expires them itself;
the SQLite store prunes itself as it is written to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypedDict

from worker.feeds.state import FeedState
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
    # what a successful send left to remember: the platform's id of an alert's message (to edit it later), or the
    # version (copies listed) an update last showed; kept until the record goes
    receipt: str = ""


# --- channel state ---------------------------------------------------------------------------------------------------


class ChannelState(TypedDict, total=False):
    """What delivery remembers about one channel. Every field is written on its own, atomically (never the record
    read and written back whole), so a send counted while a permanent error disables the channel keeps both."""

    disabled: bool  # a permanent error stopped it; see channel_disabled for when that still holds
    disabled_reason: str
    disabled_at: float
    config_version: str  # the config in force when it was disabled: an edited config enables it again
    last_sent_at: float
    sent: int  # since khabardar first sent to it
    sent_day: str  # the day (IST, ISO date) that sent_today counts
    sent_today: int
    last_error: str  # the last failed send, transient or permanent (kept after a later success)
    last_error_at: float
    held_back_until: float  # a platform's 429 holds every alert of the channel back until then
    moved_from: str  # the configured address the platform moved (a Telegram group that became a supergroup) ...
    moved_to: str  # ... where it moved, which alerts follow until the config is edited
    moved_at: float


def channel_disabled(state: ChannelState, config_version: str) -> bool:
    """The one rule: disabled by a permanent error under the config in force (an edited config enables it)."""
    return bool(state.get("disabled")) and state.get("config_version") == config_version


def moved_address(state: ChannelState, address: str) -> str | None:
    """Where the platform moved ``address``, or None; a remembered move never redirects an edited address."""
    moved_to = state.get("moved_to")
    return moved_to if moved_to and state.get("moved_from") == address else None


class ChannelStateStore(Protocol):
    """Channel state, one atomic step per change; times are epoch seconds."""

    def get_channel_state(self, channel: str) -> ChannelState: ...
    def set_channel_fields(self, channel: str, fields: ChannelState) -> None:
        """Set these fields (and no other) in one atomic step."""
        ...

    def count_channel_sent(self, channel: str, now: float, day: str) -> None:
        """One more message sent: ``sent`` + 1, ``sent_today`` + 1 (or 1 when ``day`` is a new day), last sent now."""
        ...

    def hold_channel_back(self, channel: str, until: float) -> None:
        """``held_back_until`` becomes ``until`` unless it is later already."""
        ...

    def disable_channel(self, channel: str, reason: str, now: float, config_version: str) -> bool:
        """Disable under ``config_version``; False (and no change) when it already is, under that version."""
        ...


# --- end of channel state --------------------------------------------------------------------------------------------


# --- flow: held alerts and digests (worker.flow) ---------------------------------------------------------------------
# A held alert is an outbox record in state "held": its id is taken (it is never recorded twice) but it is never due
# and never claimed. A digest is an ordinary pending outbox record whose alert is the digest's dict; the held alerts
# move into it, in the same atomic step that creates it, and their records become "digested" ("in digest <id>").

HELD_STATE = "held"
DIGESTED_STATE = "digested"


@dataclass(frozen=True)
class HeldAlert:
    id: str
    group: str  # "<watch-list>/<channel>": the alerts one digest carries
    alert: dict[str, Any]  # Alert.to_dict()
    reason: str  # quiet_hours | burst | schedule: what held it
    held_at: float
    release_at: float  # when that hold ends, as known when it was held (a burst window's end; 0 when unknown)


class FlowStore(Protocol):
    """Held alerts, digests and burst windows; each method one atomic step in both stores."""

    def flow_hold(self, held: HeldAlert) -> bool:
        """Record a new alert as held; False (and no change) if its id was ever recorded in the outbox."""
        ...

    def flow_hold_claimed(self, held: HeldAlert) -> bool:
        """Hold an alert that is pending in the outbox (its claim ends); False (and no change) when it is not."""
        ...

    def flow_held(self, group: str | None = None) -> list[HeldAlert]:
        """The alerts held in ``group`` (every group when None), oldest first."""
        ...

    def flow_digest(self, group: str, digest_id: str, digest: dict[str, Any], now: float) -> str | None:
        """Move every alert held in ``group`` into a new pending outbox record, due now, whose alert is ``digest``
        plus ``"id"`` (the id used: ``digest_id``, or ``digest_id-2``, ``-3``... when that id is taken) and
        ``"alerts"`` (their alert dicts, oldest first). Returns the id; None (and no change) when none is held."""
        ...

    def burst_admit(self, group: str, limit: int, per_s: float, now: float) -> tuple[bool, float]:
        """Count one alert into the group's burst window (opened by the first alert, ``per_s`` long): whether it
        is within ``limit``, and when the window ends."""
        ...

    def digest_parts_sent(self, digest_id: str) -> set[int]: ...
    def mark_digest_part_sent(self, digest_id: str, part: int) -> None: ...


# --- end of flow -----------------------------------------------------------------------------------------------------


class Store(ChannelStateStore, FlowStore, SeenArticles, Outbox, RateLimits, Protocol):
    """Everything the engine keeps. Times are epoch seconds (``time.time()``).

    Besides the concerns above: the state of each feed and channel of the config (kept as long as the store), and
    the leases and locks that pace polling (gone by themselves when their time is up)."""

    def get_feed_state(self, feed: str) -> FeedState: ...
    def put_feed_state(self, feed: str, state: FeedState) -> None: ...

    # --- polling: many feeds' states at once, and leases that cap how many polls of one host are in flight ---
    def get_feed_states(self, feeds: Sequence[str]) -> dict[str, FeedState]:
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
