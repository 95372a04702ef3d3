"""Tools for fault tests: a recording webhook that can fail or stall, an outbox seeded with alerts, a checker."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from werkzeug import Request, Response

from worker.alerts.model import Alert, AlertMatch, ArticleSummary
from worker.store import Store


@dataclass
class Hook:
    """A webhook receiver: records every alert id it is sent; can answer 500 for a while or stall on purpose."""

    fail_until: float = 0.0  # monotonic time before which every POST gets 500
    stall_first_s: float = 0.0  # the first POST waits this long before answering 200
    received: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        alert_id = json.loads(request.get_data())["id"]
        with self.lock:
            first = not self.received and not self.stalled.is_set()
            if first and self.stall_first_s:
                self.stalled.set()
        if first and self.stall_first_s:
            with self.lock:
                self.received.append(alert_id)
            time.sleep(self.stall_first_s)
            return Response("", 200)
        if time.monotonic() < self.fail_until:
            return Response("temporarily broken", 500)
        with self.lock:
            self.received.append(alert_id)
            self.times.append(time.monotonic())
        return Response("", 200)


@dataclass(frozen=True)
class Tally:
    expected: int
    received: int
    lost: int
    duplicates: int


def tally(expected: set[str], received: list[str]) -> Tally:
    unique = set(received) & expected
    return Tally(len(expected), len(received), len(expected - unique), len(received) - len(set(received)))


def seed_alerts(store: Store, count: int, *, channel: str = "hook", prefix: str = "fault") -> set[str]:
    ids = set()
    for number in range(count):
        article = ArticleSummary(
            url=f"https://example.org/{prefix}/{number}",
            title=f"पुतिन-किम वार्ता {number}",
            source="faults",
            outlet="faults",
            published=datetime.now(UTC),
            snippet="पुतिन ने किम जोंग उन से मुलाकात की।",
        )
        alert = Alert(f"{prefix}-{number}", "world", channel, article, (AlertMatch("putin", "leader", 1, ("पुतिन",)),))
        store.outbox_add(alert.id, alert.to_dict(), time.time())
        ids.add(alert.id)
    return ids


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def kill_hard(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnRedis:
    """A redis-server of the test's own (never the shared one), with AOF, that can be restarted."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--dir",
            str(self.directory),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
