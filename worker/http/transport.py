"""One HTTP exchange on a connection pinned to a vetted address, under a total deadline.

The socket is opened to the address the guard checked, and the URL's host name is used only for the Host header,
TLS SNI and certificate checks; nothing resolves the name again. A watchdog shuts the socket when the deadline
passes, because read timeouts alone never fire on a server that drips one byte a second (headers included).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
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
        self._deadline = deadline
        self._timer = threading.Timer(deadline.remaining_s(), self._cut)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def _cut(self) -> None:
        self._deadline.expired = True
        if self.sock is not None:
            with contextlib.suppress(OSError):  # already closed: nothing left to cut
                socket.socket.shutdown(self.sock, socket.SHUT_RDWR)  # the plain call, also for an SSLSocket


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
