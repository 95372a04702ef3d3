"""The digest flush beat's tick drives: every due digest made, and sent at once."""

from __future__ import annotations

from datetime import UTC, datetime

from tasks.app import app
from tasks.deliver import deliver
from tasks.runtime import engine
from worker.errors import StoreError
from worker.flow.flush import flush_due_digests
from worker.pipeline.dispatch import TICK_INTERVAL_S

FLUSH_EXPIRES_S = TICK_INTERVAL_S


@app.task(name="flow.flush_digests", autoretry_for=(StoreError,), retry_backoff=True, max_retries=3)
def flush_digests() -> int:
    current = engine()
    made = flush_due_digests(current.store, current.config, datetime.now(UTC))
    for digest_id in made:
        deliver.delay(digest_id)
    return len(made)


def request_flush() -> None:
    """Beat's tick asks for a flush; one not started before the next tick is dropped (the next one does it)."""
    flush_digests.apply_async(expires=FLUSH_EXPIRES_S)
