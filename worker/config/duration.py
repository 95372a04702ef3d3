"""Durations in the config: ``30s``, ``5m``, ``1h``, ``2d`` or a plain number of seconds."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_SECONDS_PER_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> object:
    """Turn ``5m`` into a timedelta; leave anything else for pydantic to judge."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number with s, m, h or d, e.g. 5m")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        found = _DURATION.match(value)
        if not found:
            raise ValueError(f"{value!r} is not a duration: use a number with s, m, h or d, e.g. 5m")
        return timedelta(seconds=float(found.group(1)) * _SECONDS_PER_UNIT[found.group(2)])
    return value
