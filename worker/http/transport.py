"""One HTTP exchange on a connection pinned to a vetted address, under a total deadline.

The socket is opened to the address the guard checked, and the URL's host name is used only for the Host header,
TLS SNI and certificate checks; nothing resolves the name again. A watchdog shuts the socket when the deadline
passes, because read timeouts alone never fire on a server that drips one byte a second (headers included).
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from worker.errors import FetchError
from worker.http.body import Deadline
from worker.http.errors import FetchTimeoutError
from worker.http.guard import Target


@dataclass(frozen=True)
class Timeouts:
    connect_s: float
    read_s: float


class _Watchdog:
    """Shuts the current socket down at the deadline, which wakes any read blocked on it."""

    def __init__(self, deadline: Deadline) -> None:
        self.sock: socket.socket | None = None
        self.cancelled = False
        self._deadline = deadline

    def __enter__(self) -> _Watchdog:
        _REAPER.watch(self._deadline.expires_at, self)
        return self

    def __exit__(self, *_: object) -> None:
        self.cancelled = True  # the reaper drops it when its time comes; nothing to wake now

    def cut(self) -> None:
        if self.cancelled:
            return
        self._deadline.expired = True
        if self.sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to cut
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)  # the plain call, also for an SSLSocket


class _Reaper:
    """One thread per process that cuts every watched socket at its deadline.

    A timer thread per request cost a 304 poll more CPU than the rest of its HTTP work together.
    """

    def __init__(self) -> None:
        self._due: list[tuple[float, int, _Watchdog]] = []
        self._order = itertools.count()  # ties on the deadline never compare two watchdogs
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, at_monotonic: float, watchdog: _Watchdog) -> None:
        with self._changed:
            heapq.heappush(self._due, (at_monotonic, next(self._order), watchdog))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="http-deadlines", daemon=True)
                self._thread.start()
            elif self._due[0][2] is watchdog:
                self._changed.notify()  # sooner than what the thread sleeps for

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._changed.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, watchdog = heapq.heappop(self._due)
            watchdog.cut()


_REAPER = _Reaper()


def _forget_reaper() -> None:
    # a forked child has no reaper thread, and its lock may have been held by that thread at the fork
    global _REAPER
    _REAPER = _Reaper()


os.register_at_fork(after_in_child=_forget_reaper)


@contextmanager
def exchange(
    target: Target,
    method: str,
    *,
    headers: Mapping[str, str],
    body: bytes | None,
    timeouts: Timeouts,
    deadline: Deadline,
    ssl_context: ssl.SSLContext,
) -> Iterator[http.client.HTTPResponse]:
    """Send one request to ``target`` and yield the response (headers read, body not yet)."""
    where = f"{target.scheme}://{_netloc(target)}"
    with _Watchdog(deadline) as watchdog:
        connection = _connection(target, timeouts, deadline, watchdog, ssl_context)
        response: http.client.HTTPResponse | None = None
        try:
            connection.request(method, target.path, body=body, headers=dict(headers))
            response = connection.getresponse()
            yield response
        except (OSError, http.client.HTTPException) as exc:
            deadline.check(where)
            if isinstance(exc, TimeoutError):
                raise FetchTimeoutError(f"http: {where} sent nothing for {timeouts.read_s:g}s") from None
            raise FetchError(f"http: {method} {where}{_path(target, method)} failed: {_describe(exc)}") from None
        finally:
            if response is not None:
                response.close()  # its file holds the socket open until closed
            connection.close()


def _connection(
    target: Target, timeouts: Timeouts, deadline: Deadline, watchdog: _Watchdog, ssl_context: ssl.SSLContext
) -> http.client.HTTPConnection:
    sock = _connect(target, timeouts, deadline)
    watchdog.sock = sock
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        try:
            sock = ssl_context.wrap_socket(sock, server_hostname=target.host)
        except (OSError, ssl.SSLError) as exc:
            sock.close()
            deadline.check(f"https://{_netloc(target)}")
            raise FetchError(f"http: TLS with {_netloc(target)} failed: {_describe(exc)}") from None
        watchdog.sock = sock
        connection = http.client.HTTPSConnection(target.host, target.port, context=ssl_context)
    else:
        connection = http.client.HTTPConnection(target.host, target.port)
    sock.settimeout(timeouts.read_s)
    connection.sock = sock  # already connected: http.client never resolves or connects by itself now
    return connection


def _connect(target: Target, timeouts: Timeouts, deadline: Deadline) -> socket.socket:
    """A TCP connection to the first vetted address that answers."""
    failure: OSError | None = None
    for address in target.addresses:
        timeout_s = min(timeouts.connect_s, deadline.remaining_s())
        try:
            return socket.create_connection((address, target.port), timeout=max(timeout_s, 0.001))
        except OSError as exc:
            failure = exc
    deadline.check(f"{target.scheme}://{_netloc(target)}")
    if isinstance(failure, TimeoutError):
        raise FetchTimeoutError(f"http: connecting to {_netloc(target)} timed out after {timeouts.connect_s:g}s")
    raise FetchError(f"http: cannot connect to {_netloc(target)}: {_describe(failure)}")


def _netloc(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    return f"{host}:{target.port}"


def _path(target: Target, method: str) -> str:
    """The path fit for an error message: a GET's path names the feed or page; what we POST to is a webhook,
    whose path and query are its secret, so none of it is shown."""
    return target.path.split("?", 1)[0] if method == "GET" else ""


def _describe(exc: BaseException | None) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    if isinstance(exc, http.client.IncompleteRead | http.client.LineTooLong):
        return f"{type(exc).__name__}: {exc}"  # sizes only, no URL
    return type(exc).__name__ if exc is not None else "no address to try"
