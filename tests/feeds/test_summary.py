"""The health table row: what an operator reads for each feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from worker.feeds.summary import HEALTH_COLUMNS, age, health_row

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "never"),
        ("", "never"),
        (NOW.isoformat(), "0 s ago"),
        ((NOW - timedelta(seconds=59)).isoformat(), "59 s ago"),
        ((NOW - timedelta(minutes=12)).isoformat(), "12 min ago"),
        ((NOW - timedelta(hours=3, minutes=59)).isoformat(), "3 h ago"),
        ((NOW - timedelta(days=2)).isoformat(), "2 d ago"),
        ((NOW + timedelta(minutes=5)).isoformat(), "0 s ago"),  # a clock ahead is not a negative age
    ],
)
def test_age_reads_as_how_long_ago(value: str | None, text: str) -> None:
    assert age(value, NOW) == text


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({}, {"status": "new", "last success": "never", "errors": "0", "items/day": "?", "304 share": "?"}),
        (
            {
                "polled": True,
                "last_success": (NOW - timedelta(minutes=4)).isoformat(),
                "checks_ok": 4,
                "not_modified": 3,
                "entries_per_day": 48.0,
                "last_new_entry": (NOW - timedelta(minutes=40)).isoformat(),
                "usual_gap_s": 1800,
            },
            {"status": "ok", "last success": "4 min ago", "items/day": "48.0", "304 share": "75%"},
        ),
        (
            {"polled": True, "consecutive_errors": 4, "last_error_kind": "timeout", "last_error": "http: slow"},
            {"status": "failing", "errors": "4", "last error": "timeout: http: slow"},
        ),
    ],
)
def test_health_row_shows_status_and_numbers(state: dict[str, Any], expected: dict[str, str]) -> None:
    row = health_row(state, NOW)
    assert tuple(row) == HEALTH_COLUMNS
    assert {key: row[key] for key in expected} == expected
