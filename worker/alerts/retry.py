"""When to try again, and how evenly to space sends under a platform's rate limit (each channel class states its
limits: :meth:`worker.alerts.base.Channel.rate_limits`)."""

from __future__ import annotations

import random

# Delay before each attempt, in seconds: the first is immediate, the eighth two hours after the seventh.
RETRY_SCHEDULE_S: tuple[float, ...] = (0, 5, 30, 120, 600, 1800, 3600, 7200)
MAX_ATTEMPTS = len(RETRY_SCHEDULE_S)
JITTER_FRACTION = 0.2  # ±20 %, so alerts that failed together do not all come back in the same second

# Sends are spaced evenly, a tenth slower than the limit: no burst, so no window of the platform's period can hold
# more than its count, even when the network delays one send by up to a tenth of the period more than the next.
RATE_LIMIT_MARGIN_FRACTION = 0.1


def next_attempt_delay_s(attempt: int, *, retry_after_s: float | None, rng: random.Random) -> float | None:
    """Seconds to wait before attempt number ``attempt`` (0-based: 1 after the first failure); None = give up.

    The schedule's delay gets ±20 % jitter; a platform's ``retry_after_s`` is a floor, never shortened.
    """
    if attempt < 0:
        raise ValueError(f"attempt must be 0 or more, not {attempt}")
    if attempt >= MAX_ATTEMPTS:
        return None
    delay_s = RETRY_SCHEDULE_S[attempt] * rng.uniform(1 - JITTER_FRACTION, 1 + JITTER_FRACTION)
    return max(delay_s, retry_after_s or 0.0)


def send_spacing_s(count: int, period_s: float) -> float:
    """Seconds between two sends under a limit of ``count`` per ``period_s``, with the safety margin."""
    if count < 1 or period_s <= 0:
        raise ValueError(f"a rate limit needs at least one message per positive period, not {count} per {period_s}")
    return period_s * (1 + RATE_LIMIT_MARGIN_FRACTION) / count
