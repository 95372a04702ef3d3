"""One row of the feed health table (``khabardar feeds``), from a feed's state: plain strings, ready to print."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from worker.feeds.health import diagnose, not_modified_share
from worker.feeds.state import FeedState, HealthStatus

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86400
HEALTH_COLUMNS = ("status", "last success", "errors", "last error", "items/day", "last new item", "304 share")


def health_row(state: FeedState, now: datetime) -> dict[str, str]:
    """The health table's columns (:data:`HEALTH_COLUMNS`) for one feed; ``status`` is ok, new or a sickness."""
    found = diagnose(state, now)
    share = not_modified_share(state)
    errors = int(state.get("consecutive_errors") or 0)
    status: HealthStatus = found.code if found else ("ok" if state.get("polled") else "new")
    return {
        "status": status,
        "last success": age(state.get("last_success"), now),
        "errors": str(errors),
        "last error": f"{state.get('last_error_kind', '')}: {state.get('last_error', '')}" if errors else "",
        "items/day": f"{float(state['entries_per_day']):.1f}" if state.get("entries_per_day") else "?",
        "last new item": age(state.get("last_new_entry"), now),
        "304 share": f"{share:.0%}" if share is not None else "?",
    }


def age(value: Any, now: datetime) -> str:
    """'never', or how long ago: '45 s ago', '12 min ago', '3 h ago', '2 d ago'."""
    if not isinstance(value, str) or not value:
        return "never"
    seconds = max(0, int((now - datetime.fromisoformat(value)).total_seconds()))
    for unit, size in (("d", SECONDS_PER_DAY), ("h", SECONDS_PER_HOUR), ("min", SECONDS_PER_MINUTE)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"
