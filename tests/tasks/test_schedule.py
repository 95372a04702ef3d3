"""The beat schedule is data built by a function: one tick for every feed, and the outbox sweeper, each expiring
just before its next run."""

from __future__ import annotations

import pytest

from tasks.app import POLL_QUEUE
from tasks.schedule import EXPIRES_FRACTION, SWEEP_ENTRY, TICK_ENTRY, build_beat_schedule
from worker.pipeline.dispatch import TICK_INTERVAL_S


@pytest.mark.parametrize(
    ("entry", "task", "period_s"),
    [(TICK_ENTRY, "ingest.tick", TICK_INTERVAL_S), (SWEEP_ENTRY, "alerts.sweep", 15.0)],
)
def test_each_entry_expires_just_before_its_next_run(entry: str, task: str, period_s: float) -> None:
    built = build_beat_schedule()[entry]
    assert built["task"] == task
    assert built["schedule"] == period_s
    assert built["options"]["expires"] == pytest.approx(period_s * EXPIRES_FRACTION)
    assert built["options"]["expires"] < period_s


def test_feeds_have_no_entries_of_their_own_only_the_tick() -> None:
    schedule = build_beat_schedule()
    assert set(schedule) == {TICK_ENTRY, SWEEP_ENTRY}
    assert not any(entry["task"] == "ingest.poll_feed" for entry in schedule.values())


def test_the_tick_runs_on_the_poll_queue_every_few_seconds() -> None:
    tick = build_beat_schedule()[TICK_ENTRY]
    assert tick["options"]["queue"] == POLL_QUEUE
    assert 1.0 <= tick["schedule"] <= 10.0


def test_beat_runs_the_tick_at_once_when_it_starts() -> None:
    from tasks.app import app
    from tasks.schedule import ConfigScheduler

    scheduler = ConfigScheduler(app=app)
    assert set(scheduler.data) == {TICK_ENTRY, SWEEP_ENTRY}
    assert all(entry.is_due().is_due for entry in scheduler.data.values())
