"""Store reads with a deadline: a page or a scrape answers within its bound even when Redis hangs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from worker.errors import StoreError

T = TypeVar("T")
STORE_READERS = 4
WAITING_MAX = 8  # beyond this many reads in flight the store is stuck: refuse at once instead of queueing more


class Bounded:
    """Runs store reads on a few threads of its own and waits at most ``timeout_s`` for each."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=STORE_READERS, thread_name_prefix="khabardar-web-store")
        self._lock = threading.Lock()
        self._in_flight = 0

    def call(self, read: Callable[[], T], timeout_s: float) -> T:
        """``read()``'s result; StoreError when it raised one, or did not finish within ``timeout_s``."""
        with self._lock:
            if self._in_flight >= WAITING_MAX:
                raise StoreError(f"store: {self._in_flight} reads are still waiting for an answer")
            self._in_flight += 1
        future = self._pool.submit(read)
        future.add_done_callback(self._done)
        try:
            return future.result(timeout=timeout_s)
        except FutureTimeout:
            raise StoreError(f"store: no answer within {timeout_s:g} s") from None

    @property
    def in_flight(self) -> int:
        """Reads submitted and not yet finished, those whose caller stopped waiting included."""
        with self._lock:
            return self._in_flight

    def _done(self, _future: object) -> None:
        with self._lock:
            self._in_flight -= 1
