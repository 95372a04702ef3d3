"""The time zone khabardar's readers live in: Indian newsrooms read, count and date everything in IST."""

from __future__ import annotations

from datetime import timedelta, timezone

IST = timezone(timedelta(hours=5, minutes=30), "IST")
"""India Standard Time. India has kept this one offset, with no daylight saving, since 1945: a fixed offset is
exact and needs no time-zone database."""
