"""Send it now or hold it: the one question the pipeline asks, when an alert is recorded and when it is claimed.

Quiet hours and a digest schedule are read from the config in force and the clock; a burst is counted in the
store, so every worker shares one count. Priority ``urgent`` is never held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from worker.alerts.model import Alert
from worker.config.delivery import DeliveryConfig
from worker.config.models import Config
from worker.flow.schedule import next_digest_at, quiet_window_at
from worker.store import HeldAlert, Store

GROUP_SEPARATOR = "/"  # names cannot contain it (NAME_PATTERN), so a group splits back unambiguously
NO_HOLDS = DeliveryConfig()


@dataclass(frozen=True)
class Hold:
    reason: str  # quiet_hours | burst | schedule
    until: float  # epoch seconds when the hold ends, as far as it is known now


def group_of(watchlist: str, channel: str) -> str:
    return f"{watchlist}{GROUP_SEPARATOR}{channel}"


def split_group(group: str) -> tuple[str, str]:
    watchlist, _, channel = group.partition(GROUP_SEPARATOR)
    return watchlist, channel


def delivery_of(config: Config, watchlist: str) -> DeliveryConfig:
    """The watch-list's delivery settings; a list gone from the config holds nothing back any more."""
    found = config.watchlist(watchlist)
    return found.delivery if found is not None else NO_HOLDS


def timed_hold(delivery: DeliveryConfig, now: datetime) -> Hold | None:
    """Quiet hours, then a digest schedule: the holds that need only the clock."""
    if not delivery.holds:
        return None
    if delivery.quiet_hours:
        window = quiet_window_at(now, delivery.zone, delivery.quiet_hours)
        if window is not None:
            return Hold("quiet_hours", window[1].timestamp())
    if delivery.digest:
        return Hold("schedule", next_digest_at(now, delivery.zone, delivery.digest).timestamp())
    return None


@dataclass(frozen=True)
class Recorded:
    """A new alert in the outbox: due now, or held (``hold`` says why) to go out in a digest."""

    hold: Hold | None = None


def record_alert(store: Store, config: Config, alert: Alert, now: datetime) -> Recorded | None:
    """Put a new alert in the outbox, or hold it; None when its id was recorded before."""
    delivery = delivery_of(config, alert.watchlist)
    hold = timed_hold(delivery, now)
    if hold is None and delivery.holds and delivery.burst is not None:
        if store.outbox_get(alert.id) is not None:
            return None  # a known alert must not count towards the burst
        burst = delivery.burst
        group = group_of(alert.watchlist, alert.channel)
        admitted, ends = store.burst_admit(group, burst.max, burst.per.total_seconds(), now.timestamp())
        hold = None if admitted else Hold("burst", ends)
    if hold is None:
        return Recorded() if store.outbox_add(alert.id, alert.to_dict(), now.timestamp()) else None
    return Recorded(hold) if store.flow_hold(held_alert(alert, hold, now.timestamp())) else None


def held_alert(alert: Alert, hold: Hold, now_s: float) -> HeldAlert:
    group = group_of(alert.watchlist, alert.channel)
    return HeldAlert(alert.id, group, alert.to_dict(), hold.reason, now_s, hold.until)
