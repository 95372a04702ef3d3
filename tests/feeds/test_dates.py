"""Publication times as Hindi sites write them, and which items are recent enough to alert on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from worker.feeds.dates import is_alertable, parse_date

AT_0618_UTC = datetime(2026, 7, 23, 6, 18, tzinfo=UTC)  # 11:48 in India


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 23 Jul 2026 06:18:00 +0000", AT_0618_UTC),
        ("Thu, 23 Jul 2026 06:18:00 GMT", AT_0618_UTC),
        ("Thu, 23 Jul 2026 11:48:00 +0530", AT_0618_UTC),
        ("Thu, 23 Jul 2026 11:48:00 IST", AT_0618_UTC),  # India, not Israel or Ireland
        ("23 Jul 2026 11:48 IST", AT_0618_UTC),
        ("2026-07-23T06:18:00Z", AT_0618_UTC),
        ("2026-07-23T11:48:00+05:30", AT_0618_UTC),
        ("2026-07-23 11:48:00", AT_0618_UTC),  # no zone from an Indian site: Indian time
        ("2026-07-23T11:48", AT_0618_UTC),
        ("23 जुलाई 2026, 11:48 पूर्वाह्न", AT_0618_UTC),
        ("23 जुलाई 2026 11:48 AM IST", AT_0618_UTC),
        ("गुरुवार, 23 जुलाई 2026 11:48 AM (IST)", AT_0618_UTC),
        ("प्रकाशित: 23 जुलाई 2026, 11:48 AM", AT_0618_UTC),
        ("अपडेटेड Thu, 23 Jul 2026 11:48 AM IST", AT_0618_UTC),
        ("Updated: Jul 23, 2026 11:48 AM IST", AT_0618_UTC),
        ("२३ जुलाई २०२६, ११:४८ पूर्वाह्न", AT_0618_UTC),  # Devanagari digits
        ("23/07/2026 11:48", AT_0618_UTC),  # day first, as India writes it
        ("23-07-2026 11:48 AM", AT_0618_UTC),
        ("23 जुलाई 2026 | 11:48 AM", AT_0618_UTC),
        ("Thu, 23 Jul 2026 11:48:00 GMT+5:30", AT_0618_UTC),  # ahead of GMT, not behind as POSIX would read it
        ("23 Jul 2026 11:48 UTC+05:30", AT_0618_UTC),
        ("Thursday, July 23, 2026, 11:48 [IST]", AT_0618_UTC),
        ("2026-07-23T11:48:00.000+0530", AT_0618_UTC),
        ("23.07.2026 11:48", AT_0618_UTC),
        ("बृहस्पतिवार, 23 जुलाई 2026 11:48 AM", AT_0618_UTC),
        ("23 जुलाई 2026, 05:18 अपराह्न", datetime(2026, 7, 23, 11, 48, tzinfo=UTC)),
        ("1 फ़रवरी 2026", datetime(2026, 1, 31, 18, 30, tzinfo=UTC)),  # nukta spelling, midnight IST
        ("1 फरवरी 2026", datetime(2026, 1, 31, 18, 30, tzinfo=UTC)),
        ("15 सितम्बर 2025 10:00", datetime(2025, 9, 15, 4, 30, tzinfo=UTC)),
        ("15 सितंबर 2025 10:00", datetime(2025, 9, 15, 4, 30, tzinfo=UTC)),
        ("2 अक्तूबर 2025 10:00", datetime(2025, 10, 2, 4, 30, tzinfo=UTC)),
        ("2 अक्टूबर 2025 10:00", datetime(2025, 10, 2, 4, 30, tzinfo=UTC)),
        ("25 दिसम्बर 2025 00:00", datetime(2025, 12, 24, 18, 30, tzinfo=UTC)),
    ],
)
def test_published_time_is_read_to_utc(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "अभी अभी",
        "कल",
        "2 घंटे पहले",
        "not a date",
        "12:30",
        "Thu, 23 Jul 1066 06:18:00 +0000",
        "32/13/2026",
    ],
)
def test_text_without_a_plausible_date_gives_none(text: str | None) -> None:
    assert parse_date(text) is None


NOW = datetime(2026, 7, 23, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=3)


@pytest.mark.parametrize(
    ("published", "alertable"),
    [
        (None, True),
        (NOW, True),
        (NOW - timedelta(days=2, hours=23), True),
        (NOW - MAX_AGE, True),
        (NOW - MAX_AGE - timedelta(seconds=1), False),
        (NOW - timedelta(days=400), False),
        (NOW + timedelta(hours=5, minutes=30), True),  # IST written as UTC: hours ahead, still news
        (NOW + timedelta(hours=6), True),
        (NOW + timedelta(hours=6, seconds=1), False),
        (NOW + timedelta(days=365), False),  # a typo in the year
    ],
)
def test_items_too_old_or_too_far_ahead_are_not_alerted(published: datetime | None, alertable: bool) -> None:
    assert is_alertable(published, NOW, MAX_AGE) is alertable
