"""The engine of this worker process, built on first use and again after a fork (no connection crosses one)."""

from __future__ import annotations

from celery.signals import worker_process_init

import tasks.observe  # noqa: F401  (connects the worker-liveness signal in every worker process)
from worker.pipeline import Engine
from worker.settings import Settings

_engine: Engine | None = None


def engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = Engine(Settings.from_env())
    return _engine


@worker_process_init.connect
def _forget_engine_after_fork(**_: object) -> None:
    global _engine
    _engine = None
