"""The ``delivery:`` block of a watch-list (PRODUCT.md "Second round"): quiet hours, bursts, digests, priority.

Every check that can be made without a clock is made here, so a bad window, zone or period is a config error
with file and line, never a surprise at 22:00.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from worker.config.duration import parse_duration

DEFAULT_TIMEZONE = "Asia/Kolkata"
MIN_DIGEST_EVERY = timedelta(minutes=1)
MIN_BURST_PER = timedelta(seconds=1)
_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")


def parse_clock(text: str) -> time:
    """``"07:00"`` → 07:00; hours 00-23 and minutes 00-59, two digits each."""
    found = _CLOCK.match(text.strip())
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise ValueError(f"{text!r} is not a time of day: write HH:MM, 00:00 to 23:59")
    return time(int(found.group(1)), int(found.group(2)))


def parse_window(text: str) -> tuple[time, time]:
    """``"22:00-07:00"`` → (22:00, 07:00); a window may cross midnight, but may not be empty."""
    start, dash, end = text.partition("-")
    if not dash:
        raise ValueError(f"{text!r} is not a window: write start-end, e.g. 22:00-07:00")
    window = parse_clock(start), parse_clock(end)
    if window[0] == window[1]:
        raise ValueError(f"{text!r} is empty: start and end are the same time")
    return window


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Asia/Kolkata") from None
    return name


def _window(text: str) -> str:
    parse_window(text)
    return text


def _clocks(texts: list[str]) -> list[str]:
    for text in texts:
        parse_clock(text)
    return sorted(set(texts))


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BurstConfig(_Strict):
    max: int = Field(ge=1)
    per: Duration

    @model_validator(mode="after")
    def _period_positive(self) -> BurstConfig:
        if self.per < MIN_BURST_PER:
            raise ValueError(f"burst.per must be at least {int(MIN_BURST_PER.total_seconds())}s")
        return self


class DigestConfig(_Strict):
    every: Duration | None = None
    at: Annotated[list[str], AfterValidator(_clocks)] | None = None

    @model_validator(mode="after")
    def _one_schedule(self) -> DigestConfig:
        if (self.every is None) == (self.at is None):
            raise ValueError('digest needs exactly one of `every` (e.g. 1h) or `at` (e.g. ["09:00", "18:00"])')
        if self.every is not None and self.every < MIN_DIGEST_EVERY:
            raise ValueError("digest.every must be at least 1m")
        if self.at is not None and not self.at:
            raise ValueError("digest.at needs at least one time of day")
        return self


class DeliveryConfig(_Strict):
    timezone: Annotated[str, AfterValidator(_zone)] = DEFAULT_TIMEZONE
    quiet_hours: Annotated[str, AfterValidator(_window)] | None = None
    burst: BurstConfig | None = None
    digest: DigestConfig | None = None
    priority: Literal["normal", "urgent"] = "normal"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def holds(self) -> bool:
        """Whether anything can hold this list's alerts back."""
        if self.priority == "urgent":
            return False
        return any(setting is not None for setting in (self.quiet_hours, self.burst, self.digest))
