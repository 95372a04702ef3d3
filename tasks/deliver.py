"""Delivery tasks: send one alert; sweep the outbox for alerts whose time has come (or whose claim expired)."""

from __future__ import annotations

import time

from tasks.app import VISIBILITY_TIMEOUT_S, app
from tasks.runtime import engine
from worker.errors import StoreError
from worker.pipeline import deliver_alert
from worker.pipeline.updates import UPDATE_COALESCE_S

# A retry due within this long is sent as a countdown (a rate-limit queue of hundreds of alerts spans minutes);
# later ones are left to the sweeper, so no countdown comes near the broker's visibility timeout.
COUNTDOWN_MAX_S = VISIBILITY_TIMEOUT_S / 6
SWEEP_BATCH = 500


@app.task(name="alerts.deliver", autoretry_for=(StoreError,), retry_backoff=True, max_retries=None)
def deliver(alert_id: str, turn_at: float | None = None) -> str:
    outcome = deliver_alert(engine(), alert_id, time.time(), turn_at=turn_at)
    if outcome.state == "retry" and outcome.retry_in_s is not None and outcome.retry_in_s <= COUNTDOWN_MAX_S:
        deliver.apply_async(args=[alert_id], kwargs={"turn_at": outcome.turn_at}, countdown=outcome.retry_in_s)
    if outcome.update_id is not None:  # copies of its story came in while it was sent: one edit shows them
        deliver.apply_async(args=[outcome.update_id], countdown=UPDATE_COALESCE_S)
    return outcome.state


@app.task(name="alerts.sweep", autoretry_for=(StoreError,), retry_backoff=True, max_retries=3)
def sweep() -> int:
    due = engine().store.outbox_due(time.time(), SWEEP_BATCH)
    for alert_id in due:
        deliver.delay(alert_id)
    return len(due)
