"""Loopback-only fixtures: an allowed server, a canary that must never be reached, raw socket servers for
misbehaving peers, and a resolver stub. Any attempt at a real name lookup fails the test that made it."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

LOOPBACK = "127.0.0.1"


@dataclass
class StubResolver:
    """Answers from a table; unknown names fail, and every question is recorded."""

    table: dict[str, list[str]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            from worker.errors import BlockedURLError

            raise BlockedURLError(f"stub resolver: unknown host {host!r}")
        return list(self.table[host])


@pytest.fixture(autouse=True)
def no_real_name_lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Numeric loopback lookups pass; any name lookup is refused and recorded, so no query leaves the machine."""
    real = socket.getaddrinfo
    refused: list[str] = []

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        text = host.decode() if isinstance(host, bytes) else str(host)
        try:
            if ipaddress.ip_address(text).is_loopback:
                return real(host, *args, **kwargs)
        except ValueError:
            pass
        refused.append(text)
        raise socket.gaierror(socket.EAI_NONAME, f"test refused a real lookup of {text!r}")

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return refused


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[HTTPServer, HTTPServer]]:
    with HTTPServer(host=LOOPBACK, port=0) as allowed, HTTPServer(host=LOOPBACK, port=0) as never:
        yield allowed, never


@pytest.fixture
def server(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """The allowed loopback server (feeds, pages, webhooks), with no expectations and an empty log."""
    _servers[0].clear()
    yield _servers[0]
    _servers[0].clear()


@pytest.fixture
def canary(_servers: tuple[HTTPServer, HTTPServer]) -> Iterator[HTTPServer]:
    """A loopback server that is NOT in allow_hosts: every test asserts it received nothing."""
    _servers[1].clear()
    yield _servers[1]
    _servers[1].clear()


@pytest.fixture
def resolver() -> StubResolver:
    return StubResolver()


class RawServer:
    """A loopback TCP server that hands each connection to ``handler`` in a thread (for misbehaving peers)."""

    def __init__(self, handler: Callable[[socket.socket], None]) -> None:
        self.sock = socket.create_server((LOOPBACK, 0))
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._handler = handler
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request; its content does not matter here
                self._handler(conn)
            except OSError:
                pass  # the client hung up, which is what these tests provoke

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket], None]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for raw in servers:
        raw.close()
