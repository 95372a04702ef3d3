"""Delivery tasks: send one alert; sweep the outbox for alerts whose time has come (or whose claim expired)."""

from __future__ import annotations

import time

from tasks.app import app
from tasks.runtime import engine
from worker.errors import StoreError
from worker.pipeline import deliver_alert

SHORT_RETRY_S = 60.0  # longer waits are left to the sweeper, so no countdown outlives the broker's visibility
SWEEP_BATCH = 500


@app.task(name="alerts.deliver", autoretry_for=(StoreError,), retry_backoff=True, max_retries=None)
def deliver(alert_id: str) -> str:
    outcome = deliver_alert(engine(), alert_id, time.time())
    if outcome.state == "retry" and outcome.retry_in_s is not None and outcome.retry_in_s <= SHORT_RETRY_S:
        deliver.apply_async(args=[alert_id], countdown=outcome.retry_in_s)
    return outcome.state


@app.task(name="alerts.sweep", autoretry_for=(StoreError,), retry_backoff=True, max_retries=3)
def sweep() -> int:
    due = engine().store.outbox_due(time.time(), SWEEP_BATCH)
    for alert_id in due:
        deliver.delay(alert_id)
    return len(due)
