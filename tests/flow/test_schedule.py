"""Quiet windows and digest times: table-driven, in several zones, across midnight and both DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from worker.config.delivery import DigestConfig
from worker.flow.schedule import next_digest_at, quiet_window_at

KOLKATA = ZoneInfo("Asia/Kolkata")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def at(zone: ZoneInfo, text: str) -> datetime:
    """A local wall-clock reading in ``zone`` (first occurrence when it repeats)."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "window", "now", "expected_end"),
    [
        # inside a window that crosses midnight, before and after midnight
        (KOLKATA, "22:00-07:00", "2026-12-03T23:30", "2026-12-04T07:00"),
        (KOLKATA, "22:00-07:00", "2026-12-04T03:00", "2026-12-04T07:00"),
        # the edges: the start is inside, the end is not
        (KOLKATA, "22:00-07:00", "2026-12-03T22:00", "2026-12-04T07:00"),
        (KOLKATA, "22:00-07:00", "2026-12-04T07:00", None),
        (KOLKATA, "22:00-07:00", "2026-12-04T12:00", None),
        # a window inside one day
        (KOLKATA, "13:00-14:30", "2026-12-04T14:29", "2026-12-04T14:30"),
        (KOLKATA, "13:00-14:30", "2026-12-04T12:59", None),
    ],
)
def test_quiet_window_in_kolkata(zone: ZoneInfo, window: str, now: str, expected_end: str | None) -> None:
    found = quiet_window_at(at(zone, now), zone, window)
    assert (found[1] if found else None) == (at(zone, expected_end) if expected_end else None)


def test_a_night_that_springs_forward_in_new_york_is_an_hour_shorter() -> None:
    # 2026-03-08: clocks go from 02:00 EST to 03:00 EDT
    start, end = quiet_window_at(utc("2026-03-08T06:00"), NEW_YORK, "22:00-07:00") or (None, None)
    assert start == at(NEW_YORK, "2026-03-07T22:00") and end == at(NEW_YORK, "2026-03-08T07:00")
    assert end - start == timedelta(hours=8)
    assert end == utc("2026-03-08T11:00")  # 07:00 EDT


def test_a_night_that_falls_back_in_new_york_is_an_hour_longer() -> None:
    # 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST
    start, end = quiet_window_at(utc("2026-11-01T06:30"), NEW_YORK, "22:00-07:00") or (None, None)
    assert end is not None and start is not None and end - start == timedelta(hours=10)


def test_a_window_that_starts_in_the_skipped_hour_starts_when_the_clocks_have_moved() -> None:
    window = "02:30-04:00"
    assert quiet_window_at(utc("2026-03-08T06:45"), NEW_YORK, window) is None  # 01:45 EST: not yet
    start, _end = quiet_window_at(utc("2026-03-08T07:40"), NEW_YORK, window) or (None, None)
    assert start == utc("2026-03-08T07:30")  # 02:30 read as EST = 03:30 EDT


@pytest.mark.parametrize(
    ("zone", "digest", "after", "expected"),
    [
        (KOLKATA, DigestConfig(at=["09:00", "18:00"]), "2026-12-04T08:59", "2026-12-04T09:00"),
        (KOLKATA, DigestConfig(at=["09:00", "18:00"]), "2026-12-04T09:00", "2026-12-04T18:00"),
        (KOLKATA, DigestConfig(at=["09:00", "18:00"]), "2026-12-04T18:01", "2026-12-05T09:00"),
        (KOLKATA, DigestConfig(every=timedelta(hours=1)), "2026-12-04T10:15", "2026-12-04T11:00"),
        (KOLKATA, DigestConfig(every=timedelta(hours=1)), "2026-12-04T11:00", "2026-12-04T12:00"),
        (KOLKATA, DigestConfig(every=timedelta(hours=7)), "2026-12-04T22:00", "2026-12-05T00:00"),
        (KOLKATA, DigestConfig(every=timedelta(minutes=15)), "2026-12-04T23:59", "2026-12-05T00:00"),
        (LONDON, DigestConfig(at=["18:00"]), "2026-03-29T12:00", "2026-03-29T18:00"),
    ],
)
def test_next_digest_time(zone: ZoneInfo, digest: DigestConfig, after: str, expected: str) -> None:
    assert next_digest_at(at(zone, after), zone, digest) == at(zone, expected)


def test_every_hour_keeps_to_the_local_hour_across_the_spring_change() -> None:
    every = DigestConfig(every=timedelta(hours=1))
    # 01:30 EST; one hour of wall clock is skipped, the digest after 01:59 is 03:00 EDT
    assert next_digest_at(utc("2026-03-08T06:30"), NEW_YORK, every) == at(NEW_YORK, "2026-03-08T03:00")
    assert next_digest_at(utc("2026-03-08T07:30"), NEW_YORK, every) == at(NEW_YORK, "2026-03-08T04:00")


def test_a_time_of_day_in_the_skipped_hour_still_comes_once() -> None:
    digest = DigestConfig(at=["02:30"])
    moment = next_digest_at(utc("2026-03-08T05:00"), NEW_YORK, digest)
    assert moment == utc("2026-03-08T07:30")  # 03:30 EDT
