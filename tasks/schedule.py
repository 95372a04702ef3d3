"""The beat schedule, built from the config's feeds and rebuilt whenever the config changes."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery.beat import Scheduler

from worker.config import Config, ConfigWatcher
from worker.settings import Settings

log = logging.getLogger(__name__)

EXPIRES_FRACTION = 0.9  # a poll still queued after 90 % of its interval is dropped: the next one is coming
SWEEP_INTERVAL_S = 15.0
SWEEP_ENTRY = "alerts:sweep"


def build_beat_schedule(config: Config) -> dict[str, dict[str, Any]]:
    """One entry per feed, at the feed's own interval, plus the outbox sweeper."""
    schedule: dict[str, dict[str, Any]] = {
        SWEEP_ENTRY: {
            "task": "alerts.sweep",
            "schedule": SWEEP_INTERVAL_S,
            "options": {"expires": SWEEP_INTERVAL_S * EXPIRES_FRACTION},
        }
    }
    for feed in config.feeds:
        interval_s = feed.interval.total_seconds()
        schedule[f"poll:{feed.name}"] = {
            "task": "ingest.poll_feed",
            "schedule": interval_s,
            "args": (feed.name,),
            "options": {"expires": interval_s * EXPIRES_FRACTION},
        }
    return schedule


class ConfigScheduler(Scheduler):
    """An in-memory schedule that follows the config file; a new feed is polled at once."""

    def setup_schedule(self) -> None:
        self._watcher = ConfigWatcher(Settings.from_env().config_path)
        self._version = ""
        self._refresh()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        self._refresh()
        return float(super().tick(*args, **kwargs))

    def _refresh(self) -> None:
        loaded = self._watcher.current()
        if loaded.version == self._version:
            return
        before = set(self.data)
        self.merge_inplace(build_beat_schedule(loaded.config))
        for name in set(self.data) - before:
            entry = self.data[name]
            entry.last_run_at = self.app.now() - timedelta(seconds=entry.schedule.run_every.total_seconds() + 1)
        self._version = loaded.version
        log.info("beat: schedule follows config version %s (%d feeds)", loaded.version, len(loaded.config.feeds))
