"""The beat schedule: one tick that dispatches the feeds that are due, and the outbox sweeper.

Feeds have no entries of their own: each feed's next check time lives in the store (set by its last poll), and
the tick (:func:`worker.pipeline.dispatch.dispatch_due`) dispatches the due ones in batches, under a per-host cap
that every worker and beat shares. A feed added to the config is due at once; one removed is no longer read.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery.beat import Scheduler

from tasks.app import POLL_QUEUE
from tasks.startup import check_xml_parser
from worker.pipeline.dispatch import TICK_INTERVAL_S

log = logging.getLogger(__name__)

EXPIRES_FRACTION = 0.9  # a message still queued after 90 % of its period is dropped: the next one is coming
SWEEP_INTERVAL_S = 15.0
SWEEP_ENTRY = "alerts:sweep"
TICK_ENTRY = "ingest:tick"


def build_beat_schedule() -> dict[str, dict[str, Any]]:
    """The tick (on the poll queue, beside the polls it dispatches) and the outbox sweeper."""
    return {
        TICK_ENTRY: {
            "task": "ingest.tick",
            "schedule": TICK_INTERVAL_S,
            "options": {"expires": TICK_INTERVAL_S * EXPIRES_FRACTION, "queue": POLL_QUEUE},
        },
        SWEEP_ENTRY: {
            "task": "alerts.sweep",
            "schedule": SWEEP_INTERVAL_S,
            "options": {"expires": SWEEP_INTERVAL_S * EXPIRES_FRACTION},
        },
    }


class ConfigScheduler(Scheduler):
    """An in-memory schedule of :func:`build_beat_schedule`; every entry runs once at start-up, so feeds added
    while beat was down are dispatched at once."""

    def setup_schedule(self) -> None:
        check_xml_parser()  # beat parses no feed, but a deployment with an unsafe parser must not run at all
        self.merge_inplace(build_beat_schedule())
        for entry in self.data.values():
            entry.last_run_at = self.app.now() - timedelta(seconds=entry.schedule.run_every.total_seconds() + 1)
        log.info("beat: ticking every %gs; each feed's next check is kept in the store", TICK_INTERVAL_S)
