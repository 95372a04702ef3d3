"""The beat schedule is data built from the config: one entry per feed, expiring just before the next run."""

from __future__ import annotations

import pytest

from tasks.schedule import EXPIRES_FRACTION, SWEEP_ENTRY, build_beat_schedule
from worker.config.models import Config


def _config(*feeds: tuple[str, str]) -> Config:
    return Config.model_validate(
        {
            "feeds": [
                {"name": name, "url": f"https://example.org/{name}.xml", "interval": every} for name, every in feeds
            ]
        }
    )


@pytest.mark.parametrize(
    ("interval", "seconds"),
    [("30s", 30.0), ("5m", 300.0), ("1h", 3600.0), ("90", 90.0), ("1.5m", 90.0)],
)
def test_each_feed_polls_at_its_own_interval(interval: str, seconds: float) -> None:
    entry = build_beat_schedule(_config(("jagran", interval)))["poll:jagran"]
    assert entry["task"] == "ingest.poll_feed"
    assert entry["args"] == ("jagran",)
    assert entry["schedule"] == seconds
    assert entry["options"]["expires"] == pytest.approx(seconds * EXPIRES_FRACTION)
    assert entry["options"]["expires"] < seconds


def test_every_feed_has_an_entry_and_the_sweeper_is_always_there() -> None:
    schedule = build_beat_schedule(_config(("a", "1m"), ("b", "2m"), ("c", "10m")))
    assert set(schedule) == {"poll:a", "poll:b", "poll:c", SWEEP_ENTRY}
    assert schedule[SWEEP_ENTRY]["task"] == "alerts.sweep"


def test_no_feeds_still_sweeps_the_outbox() -> None:
    assert set(build_beat_schedule(_config())) == {SWEEP_ENTRY}
