"""Misbehaving servers: drips, silence, lying Content-Length, endless bodies and a gzip bomb."""

from __future__ import annotations

import multiprocessing
import os
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable

import pytest

from tests.http.conftest import LOOPBACK, RawServer
from worker.errors import FetchError
from worker.http import HttpClient
from worker.http.errors import FetchTimeoutError, FetchTooLargeError

RawFactory = Callable[[Callable[[socket.socket], None]], RawServer]
DRIP_PAUSE_S = 1.0  # one byte a second
SHORT_DEADLINE_S = 1.5
REQUESTS_SHARING_A_THREAD = 20
CHILD_TIMEOUT_S = 30.0


def drip(data: bytes) -> Callable[[socket.socket], None]:
    def handler(conn: socket.socket) -> None:
        for index in range(len(data)):
            conn.sendall(data[index : index + 1])
            time.sleep(DRIP_PAUSE_S)

    return handler


def send(data: bytes, *, then_wait_s: float = 0.0) -> Callable[[socket.socket], None]:
    def handler(conn: socket.socket) -> None:
        conn.sendall(data)
        time.sleep(then_wait_s)

    return handler


def client(raw: RawServer, **options: float) -> HttpClient:
    return HttpClient(allow_hosts=[f"{LOOPBACK}:{raw.port}"], **options)


def url(raw: RawServer) -> str:
    return f"http://{LOOPBACK}:{raw.port}/feed"


def prompt_headers_then_drip(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
    drip(b"x" * 10_000)(conn)


@pytest.mark.parametrize(
    "handler",
    [
        drip(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n" + b"<rss>" * 1000),
        # headers that never end, one byte at a time: read timeouts alone would wait forever
        drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000),
        prompt_headers_then_drip,
    ],
)
def test_a_drip_is_cut_off_at_the_total_deadline(
    handler: Callable[[socket.socket], None], raw_server: RawFactory
) -> None:
    raw = raw_server(handler)
    with pytest.raises(FetchTimeoutError, match="deadline"):
        client(raw).get(url(raw), deadline_s=SHORT_DEADLINE_S)


def test_a_silent_server_trips_the_read_timeout(raw_server: RawFactory) -> None:
    raw = raw_server(send(b"", then_wait_s=3.0))
    with pytest.raises(FetchTimeoutError):
        client(raw, read_timeout_s=0.3).get(url(raw))


@pytest.mark.parametrize(
    ("response", "error"),
    [
        # promises 1000 bytes, sends 10 and hangs up: a truncated feed is not a feed
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10, FetchError),
        # declares more than the cap: refused before a byte of the body is read
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n" + b"x" * 10, FetchTooLargeError),
        # declares little, is gzip that inflates past the cap
        (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2000\r\n\r\n"
            + zlib.compress(b"\0" * 2_000_000, wbits=31)[:2000],
            FetchTooLargeError,
        ),
        # no length at all and more than the cap before closing
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 200_000, FetchTooLargeError),
        # chunked encoding that lies about a chunk's size
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffff\r\nabc", FetchError),
    ],
)
def test_a_lying_or_oversized_body_is_refused(response: bytes, error: type[FetchError], raw_server: RawFactory) -> None:
    raw = raw_server(send(response))
    with pytest.raises(error):
        client(raw).get(url(raw), max_bytes=100_000)


def test_a_shorter_content_length_than_the_body_reads_only_what_was_declared(raw_server: RawFactory) -> None:
    raw = raw_server(send(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n<rss>" + b"junk" * 1000))
    assert client(raw).get(url(raw)).body == b"<rss>"


def gzip_bomb(inflated_mib: int) -> bytes:
    """A gzip stream that inflates to ``inflated_mib`` MiB of zeros, built without compressing all of them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)  # identical for every later MiB
    return head + repeat * (inflated_mib - 1)


def test_a_gzip_bomb_aborts_without_inflating_everything(raw_server: RawFactory) -> None:
    bomb = gzip_bomb(1024)  # 1 GiB inflated, about 1 MiB on the wire
    header = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n\r\n".encode()
    raw = raw_server(send(header + bomb))
    tracemalloc.start()
    try:
        with pytest.raises(FetchTooLargeError):
            client(raw).get(url(raw), max_bytes=5 * 1024 * 1024)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_bytes < 64 * 1024 * 1024  # a fraction of the 1 GiB the bomb holds


def test_the_gzip_bomb_is_real(raw_server: RawFactory) -> None:
    """Guards the test above: the bomb inflates far past the cap when nothing stops it."""
    inflated = zlib.decompressobj(31).decompress(gzip_bomb(16))
    assert len(inflated) == 16 * 1024 * 1024 and not inflated.strip(b"\0")


def test_deadlines_are_kept_by_one_thread_not_one_per_request(
    raw_server: RawFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = raw_server(send(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n"))
    fetcher = client(raw)
    fetcher.get(url(raw))  # the process's deadline thread may start here
    started_here: list[str] = []
    original_start = threading.Thread.start

    def counting_start(thread: threading.Thread) -> None:
        if threading.current_thread() is threading.main_thread():  # not the test server's own threads
            started_here.append(thread.name)
        original_start(thread)

    monkeypatch.setattr(threading.Thread, "start", counting_start)
    for _ in range(REQUESTS_SHARING_A_THREAD):
        assert fetcher.get(url(raw)).status == 304
    assert started_here == []


def test_a_forked_child_still_cuts_a_drip_at_the_deadline(raw_server: RawFactory) -> None:
    # Celery's prefork workers fork after the parent has fetched: the child needs a deadline thread of its own.
    quick = raw_server(send(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n"))
    client(quick).get(url(quick))
    raw = raw_server(prompt_headers_then_drip)

    def child() -> None:
        try:
            client(raw).get(url(raw), deadline_s=SHORT_DEADLINE_S)
        except FetchTimeoutError:
            os._exit(0)
        os._exit(1)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(CHILD_TIMEOUT_S)
    if process.exitcode is None:
        process.kill()
    assert process.exitcode == 0
