"""Clock arithmetic for quiet hours and scheduled digests, in any IANA zone, across midnight and DST changes.

A local time that does not exist (the hour skipped when clocks go forward) is read with the offset in force
before the change, which puts it that far past the change (02:30 on a spring-forward night in New York is
03:30 EDT); a local time that happens twice (clocks go back) is its first occurrence. Every function is pure:
it is given ``now`` (aware) and returns aware datetimes in UTC, so tests need no clock and no sleeping. (UTC
because Python subtracts and adds two datetimes of the same zone by their wall clocks, ignoring DST.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from worker.config.delivery import DigestConfig, parse_clock, parse_window

LOOKAHEAD_DAYS = 3  # a schedule of times of day always has one within two local days


def local_moment(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """``clock`` on ``day`` in ``zone``, as a real instant in UTC (see the module docstring for gaps and repeats)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def quiet_window_at(now: datetime, zone: ZoneInfo, window: str) -> tuple[datetime, datetime] | None:
    """The quiet window (start, end) that ``now`` is inside, or None."""
    start_clock, end_clock = parse_window(window)
    today = now.astimezone(zone).date()
    for day in (today - timedelta(days=1), today):
        start = local_moment(day, start_clock, zone)
        end_day = day + timedelta(days=1) if end_clock <= start_clock else day
        end = local_moment(end_day, end_clock, zone)
        if start <= now < end:
            return start, end
    return None


def next_digest_at(after: datetime, zone: ZoneInfo, digest: DigestConfig) -> datetime:
    """The first scheduled digest strictly after ``after``: a listed time of day, or a multiple of ``every``
    counted from local midnight (every 1h is on the hour, local time)."""
    if digest.at is not None:
        return _next_time_of_day(after, zone, [parse_clock(text) for text in digest.at])
    assert digest.every is not None  # the config allows exactly one of the two
    local_day = after.astimezone(zone).date()
    day_start = local_moment(local_day, time(0), zone)
    next_day_start = local_moment(local_day + timedelta(days=1), time(0), zone)
    steps = (after - day_start) // digest.every + 1
    return min(day_start + steps * digest.every, next_day_start)


def _next_time_of_day(after: datetime, zone: ZoneInfo, clocks: list[time]) -> datetime:
    first_day = after.astimezone(zone).date()
    moments = (
        local_moment(first_day + timedelta(days=offset), clock, zone)
        for offset in range(LOOKAHEAD_DAYS)
        for clock in clocks
    )
    return min(moment for moment in moments if moment > after)


def from_epoch(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)
