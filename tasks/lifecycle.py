"""How a worker stops: within STOP_DEADLINE_S of SIGTERM or SIGINT, sent to its main process or to its whole group.

Celery's own SIGTERM is a warm shutdown: it waits for every running task, so a webhook that takes 30 s to answer
keeps the worker past Docker's 10 s grace; and when the whole group is signalled, the pool children die first and
the main process can wait for them forever. Here, in the main process, the first SIGTERM or SIGINT only sets
Celery's cold-shutdown flag (no broker I/O from a signal handler) and starts a thread that, half a second later,
sends SIGTERM to the pool children and the embedded beat, and ends everything at STOP_DEADLINE_S whatever
happens; a second signal ends everything at once. A pool child told to stop (by that thread or with the whole
group) raises SystemExit in the task it runs (billiard's handler): a delivery gives its alert back to the outbox
(``worker.pipeline.deliver``) instead of waiting for the answer, so the next worker sends it at once. The main
loop notices the flag within a poll, closes the consumer (unacknowledged messages go back to the broker) and exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from billiard.pool import CLOSE as POOL_CLOSE
from celery.apps.worker import Worker
from celery.concurrency.prefork import TaskPool
from celery.worker import state

STOP_DEADLINE_S = 8.0  # under Docker's default 10 s grace (stop_grace_period) and systemd's TimeoutStopSec
CHILDREN_TOLD_AFTER_S = 0.5  # after a group-wide signal the children have one already: no second one at once
CHILDREN_EXIT_WAIT_S = 2.0  # for the children to give back their alerts; the deadline above still holds
CHILDREN_POLL_S = 0.05
CHILDREN_KILL_WAIT_S = 1.0  # for SIGKILLed children to be gone before the main process exits
EXIT_STOPPED = 0  # a stop asked for is a clean exit: systemd's Restart=on-failure does not restart it
EXIT_FORCED = 1  # the deadline passed, or a second signal came
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

_stopping = threading.Event()
_pools: list[Any] = []  # this worker's prefork pool, once started


class StoppingTaskPool(TaskPool):  # type: ignore[misc]  # Celery is untyped
    """The prefork pool, except that a stop asked for by a signal does not terminate it: billiard's terminate waits
    for the task queue's lock, which a child killed while waiting for work holds for ever. The children are told to
    stop by SIGTERM instead, and die with the main process in any case (Celery sets their parent-death signal)."""

    def on_start(self) -> None:
        super().on_start()
        _pools.append(self)

    def on_terminate(self) -> None:
        if not _stopping.is_set():
            super().on_terminate()


class StoppingWorker(Worker):  # type: ignore[misc]  # Celery is untyped
    """Celery's worker with khabardar's SIGTERM and SIGINT (see the module docstring); SIGQUIT is Celery's."""

    def start(self) -> None:
        super().start()
        if _stopping.is_set():
            # Past Celery's shutdown the interpreter's exit would run the pool's finalizer, which waits for the
            # same lock as its terminate (see StoppingTaskPool). Children the pool started since are idle.
            _stop_pool_children(signal.SIGTERM)
            _wait_for_children(CHILDREN_EXIT_WAIT_S)
            logging.shutdown()
            os._exit(self.exitcode or EXIT_STOPPED)

    def install_platform_tweaks(self, worker: Any) -> None:
        super().install_platform_tweaks(worker)
        main_pid = os.getpid()
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda number, _frame: _stop(number) if os.getpid() == main_pid else None)


def _stop(signum: int) -> None:
    """Only flags and signals here: broker I/O from a signal handler can deadlock on the connection the
    interrupted code holds (Celery's own cold shutdown does it, and hung the embedded broker). Only the main
    process acts: the embedded beat inherits this handler for SIGINT, and is told to stop by the main process."""
    name = signal.Signals(signum).name
    if _stopping.is_set():
        _exit_now(f"{name} again: stopping at once", EXIT_FORCED)
    _stopping.set()
    _expect_pool_children_to_stop()  # a group-wide signal has reached them already
    _say(f"khabardar: {name}: stopping; alerts being sent are given back (a second {name} stops at once)")
    threading.Thread(target=_stop_children_then_exit_at_deadline, name="stop-deadline", daemon=True).start()
    state.should_terminate = EXIT_STOPPED  # the main loop notices within its next poll and shuts down cold


def _stop_children_then_exit_at_deadline() -> None:
    time.sleep(CHILDREN_TOLD_AFTER_S)
    _stop_pool_children(signal.SIGTERM)  # a pool child raises SystemExit in its task: a delivery gives its alert back
    time.sleep(STOP_DEADLINE_S - CHILDREN_TOLD_AFTER_S)
    _exit_now(f"still stopping after {STOP_DEADLINE_S:g}s: ending the worker's processes", EXIT_FORCED)


def _exit_now(reason: str, code: int) -> None:
    """End the children, and this process once they are gone: a child still dying when this one exits would be
    left behind, and one the pool started meanwhile would be missed by a single round of SIGKILL."""
    _say(f"khabardar: {reason}")
    deadline = time.monotonic() + CHILDREN_KILL_WAIT_S
    while True:
        _signal_children(signal.SIGKILL)
        if not _child_pids() or time.monotonic() >= deadline:
            break
        time.sleep(CHILDREN_POLL_S)
    os._exit(code)


def _stop_pool_children(signum: int) -> None:
    _expect_pool_children_to_stop()
    _signal_children(signum)


def _expect_pool_children_to_stop() -> None:
    """Keep the pool from starting children in place of those told to stop: a new child would take a task the
    worker holds and claim its alert, past the stop (the held tasks go back to the broker when the consumer closes).
    Mark the children as stopped on purpose, so billiard does not log "Process ... exited with signal 15" as an
    ERROR for each. Attributes set only: safe in a signal handler."""
    for pool in _pools:
        handler = getattr(pool._pool, "_worker_handler", None)
        if handler is not None:
            handler._state = POOL_CLOSE  # its maintenance loop runs while this is RUN
        for process in list(getattr(pool._pool, "_pool", ())):
            process._controlled_termination = True


def _signal_children(signum: int) -> None:
    for pid in _child_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _wait_for_children(timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while _child_pids() and time.monotonic() < deadline:
        time.sleep(CHILDREN_POLL_S)


def _child_pids() -> list[int]:
    """The live children of this process (pool children, embedded beat), read from /proc: unlike billiard's
    active_children() this reaps nothing, so it can run beside the pool's own bookkeeping."""
    me, found = str(os.getpid()), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[1] == me and fields[0] not in ("Z", "X"):
                found.append(int(stat.parent.name))
    return found


def _say(line: str) -> None:
    # from a signal handler: no logging (its locks may be held by the code the signal interrupted)
    os.write(sys.__stderr__.fileno() if sys.__stderr__ else 2, (line + "\n").encode())
