"""Turning held alerts into digests: which groups are due now, under the config in force, and one digest each.

A group (one watch-list's alerts for one channel) is due when nothing holds it any longer: its quiet hours are
over, its scheduled time has come (counted from its oldest held alert), and the burst windows that held its
alerts have ended. Read live from the config, so shortening quiet hours releases what is due at the next flush,
and an urgent list releases everything. The digest's id comes from (channel, watch-list, window); the store
creates it and moves the alerts into it in one atomic step, so two flushers make one digest between them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from worker.alerts.digest import DIGEST_TYPE
from worker.config.delivery import DeliveryConfig
from worker.config.models import Config
from worker.flow.hold import delivery_of, split_group
from worker.flow.schedule import from_epoch, next_digest_at, quiet_window_at
from worker.store import HeldAlert, Store

DIGEST_ID_HEX_CHARS = 24


@dataclass(frozen=True)
class DueDigest:
    group: str
    reason: str
    window: str  # what makes this digest one of its own: a quiet night, a burst, a scheduled time


def held_groups(store: Store) -> dict[str, list[HeldAlert]]:
    groups: dict[str, list[HeldAlert]] = defaultdict(list)
    for held in store.flow_held():
        groups[held.group].append(held)
    return dict(groups)


def due_digest(delivery: DeliveryConfig, group: str, held: list[HeldAlert], now: datetime) -> DueDigest | None:
    """The digest ``held`` (oldest first) makes now, or None while something still holds it."""
    oldest = held[0]
    if not delivery.holds:
        return DueDigest(group, oldest.reason, f"released-{oldest.held_at!r}")
    zone = delivery.zone
    if delivery.quiet_hours and quiet_window_at(now, zone, delivery.quiet_hours):
        return None
    if delivery.digest:
        scheduled = next_digest_at(from_epoch(oldest.held_at), zone, delivery.digest)
        return DueDigest(group, "schedule", f"schedule-{scheduled.isoformat()}") if scheduled <= now else None
    burst_ends = max((one.release_at for one in held if one.reason == "burst"), default=0.0)
    if burst_ends > now.timestamp():
        return None
    return DueDigest(group, oldest.reason, _window(delivery, oldest))


def _window(delivery: DeliveryConfig, oldest: HeldAlert) -> str:
    if oldest.reason == "quiet_hours" and delivery.quiet_hours:
        night = quiet_window_at(from_epoch(oldest.held_at), delivery.zone, delivery.quiet_hours)
        if night is not None:
            return f"quiet-{night[0].isoformat()}"
    return f"{oldest.reason}-{oldest.release_at!r}"


def digest_id(channel: str, watchlist: str, window: str) -> str:
    digest = hashlib.sha256(f"{channel}\x1f{watchlist}\x1f{window}".encode()).hexdigest()
    return f"digest-{digest[:DIGEST_ID_HEX_CHARS]}"


def flush_due_digests(store: Store, config: Config, now: datetime) -> list[str]:
    """Make every digest that is due; returns the ids of those this call made (a racing flusher's are not)."""
    made = []
    for group, held in held_groups(store).items():
        watchlist, channel = split_group(group)
        due = due_digest(delivery_of(config, watchlist), group, held, now)
        if due is None:
            continue
        meta = {"type": DIGEST_TYPE, "watchlist": watchlist, "channel": channel, "reason": due.reason}
        meta["window"] = due.window
        made_id = store.flow_digest(group, digest_id(channel, watchlist, due.window), meta, now.timestamp())
        if made_id is not None:
            made.append(made_id)
    return made
