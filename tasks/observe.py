"""Worker liveness for /readyz: each worker process records, at most every few seconds, that it finished a task."""

from __future__ import annotations

from celery.signals import task_postrun

from worker.metrics import mark_worker_seen
from worker.settings import Settings


@task_postrun.connect
def _worker_answered(**_: object) -> None:
    mark_worker_seen(Settings.from_env())
