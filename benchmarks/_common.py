"""Shared pieces of the benchmarks: a loopback sink, a temporary Celery worker, tidy Redis prefixes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis

REDIS_URL = os.environ.get("KHABARDAR_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
WORKER_READY_TIMEOUT_S = 60.0


class Sink(ThreadingHTTPServer):
    """A loopback HTTP server that answers every POST with 200 and counts them."""

    daemon_threads = True

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _SinkHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _SinkHandler(BaseHTTPRequestHandler):
    server: Sink
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def sink() -> Iterator[Sink]:
    server = Sink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def redis_prefix() -> Iterator[str]:
    prefix = f"khabardar-bench-{uuid.uuid4().hex[:8]}"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


@contextmanager
def celery_worker(  # type: ignore[no-untyped-def]
    env: dict[str, str],
    log_path: Path,
    *,
    concurrency: int = 2,
    queues: str = "poll,articles,alerts",
    options: Sequence[str] = (),
):
    """A Celery worker of tasks.app; ``options`` go before ``worker`` (``--broker=...``) or after it (the rest)."""
    before = [option for option in options if option.startswith("--broker")]
    after = [option for option in options if not option.startswith("--broker")]
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tasks.app",
        *before,
        "worker",
        *after,
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        f"--queues={queues}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT_S
        while b"ready." not in log_path.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
