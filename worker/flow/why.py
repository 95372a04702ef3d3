"""Why an alert is held, in words an operator reads in `khabardar alerts list`: "quiet hours until 07:00"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from worker.config.delivery import DeliveryConfig
from worker.flow.schedule import from_epoch, next_digest_at, quiet_window_at
from worker.store import HeldAlert


def hold_note(delivery: DeliveryConfig, held: HeldAlert, now: datetime) -> str:
    """What holds it now, under the config in force, and when that ends (local time in the list's zone)."""
    zone = delivery.zone
    if not delivery.holds:
        return "released: goes out in a digest at the next flush"
    if delivery.quiet_hours:
        window = quiet_window_at(now, zone, delivery.quiet_hours)
        if window is not None:
            return f"quiet hours until {_clock(window[1], zone, now)}"
    if delivery.digest:
        return f"digest at {_clock(next_digest_at(from_epoch(held.held_at), zone, delivery.digest), zone, now)}"
    if held.reason == "burst" and held.release_at > now.timestamp():
        return f"burst: digest at {_clock(from_epoch(held.release_at), zone, now)}"
    return "due: goes out in a digest at the next flush"


def _clock(moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    local = moment.astimezone(zone)
    same_day = local.date() == now.astimezone(zone).date()
    return f"{local:%H:%M}" if same_day else f"{local:%H:%M} on {local:%d %b}"
