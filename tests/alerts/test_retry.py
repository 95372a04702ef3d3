"""The retry schedule: about 0 s, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h with ±20 % jitter, then give up."""

from __future__ import annotations

import random

import pytest

from worker.alerts import channel_for
from worker.alerts.retry import MAX_ATTEMPTS, RETRY_SCHEDULE_S, next_attempt_delay_s
from worker.alerts.teams import Teams
from worker.config.models import DiscordChannel, SlackChannel, TelegramChannel, WebhookChannel


class FixedRandom(random.Random):
    """uniform() returns its low, middle or high end, so jitter bounds are exact."""

    def __init__(self, where: float) -> None:
        super().__init__(0)
        self.where = where

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.where


@pytest.mark.parametrize(
    ("attempt", "low_s", "high_s"),
    [(0, 0, 0), (1, 4, 6), (2, 24, 36), (3, 96, 144), (4, 480, 720), (5, 1440, 2160), (6, 2880, 4320), (7, 5760, 8640)],
)
def test_delay_follows_the_schedule_within_twenty_percent(attempt: int, low_s: float, high_s: float) -> None:
    assert next_attempt_delay_s(attempt, retry_after_s=None, rng=FixedRandom(0.0)) == pytest.approx(low_s)
    assert next_attempt_delay_s(attempt, retry_after_s=None, rng=FixedRandom(1.0)) == pytest.approx(high_s)
    assert next_attempt_delay_s(attempt, retry_after_s=None, rng=FixedRandom(0.5)) == RETRY_SCHEDULE_S[attempt]


@pytest.mark.parametrize("attempt", [MAX_ATTEMPTS, MAX_ATTEMPTS + 1, 100])
def test_exhausted_attempts_mean_dead_letter(attempt: int) -> None:
    assert next_attempt_delay_s(attempt, retry_after_s=5.0, rng=random.Random(1)) is None


@pytest.mark.parametrize(
    ("attempt", "retry_after_s", "expected_s"),
    [(1, 60.0, 60.0), (1, 1.0, 5.0), (0, 2.5, 2.5), (3, 0.0, 120.0)],
)
def test_platform_retry_after_is_a_floor(attempt: int, retry_after_s: float, expected_s: float) -> None:
    assert next_attempt_delay_s(attempt, retry_after_s=retry_after_s, rng=FixedRandom(0.5)) == expected_s


def test_negative_attempt_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="attempt"):
        next_attempt_delay_s(-1, retry_after_s=None, rng=random.Random(1))


def test_jitter_spreads_alerts_that_failed_together() -> None:
    rng = random.Random(7)
    delays = {next_attempt_delay_s(2, retry_after_s=None, rng=rng) for _ in range(50)}
    assert len(delays) > 40
    assert all(delay is not None and 24 <= delay <= 36 for delay in delays)


def test_schedule_adds_up_to_about_three_and_a_half_hours() -> None:
    assert MAX_ATTEMPTS == 8
    assert sum(RETRY_SCHEDULE_S) == 13_355


@pytest.mark.parametrize(
    ("config", "limits"),
    [
        (SlackChannel(type="slack", url="https://h/x"), {"slack": (1, 1.0)}),
        (DiscordChannel(type="discord", url="https://h/x"), {"discord": (5, 2.0)}),
        (TelegramChannel(type="telegram", token="1:a", chat_id="12345"), {"telegram": (1, 1.0)}),
        (
            TelegramChannel(type="telegram", token="1:a", chat_id="-100123"),
            {"telegram": (1, 1.0), "telegram-group": (20, 60.0)},
        ),
        (WebhookChannel(type="webhook", url="https://h/x"), {}),
    ],
)
def test_rate_limits_for_a_channel_include_the_group_limit_for_telegram_groups(
    config: SlackChannel | DiscordChannel | TelegramChannel | WebhookChannel, limits: dict[str, tuple[int, float]]
) -> None:
    assert channel_for("desk", config).rate_limits() == limits


def test_teams_allows_four_per_second() -> None:
    assert Teams.rate_limit == (4, 1.0)
