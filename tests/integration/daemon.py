"""Tools for the daemon tests: a webhook that can stall for half a minute, a khabardar process in a group of its own,
signals to it or to its group, and what is left of the group afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

from tests.conftest import serve_wsgi
from tests.integration.conftest import wait_for

STALL_S = 30.0  # the slow webhook: longer than Docker's 10 s grace and our client's read timeout
STALL_POLL_S = 0.1
READY_TIMEOUT_S = 60.0
LOG_TAIL_CHARS = 4000


@dataclass
class SlowHook:
    """A webhook that holds its first ``stall_count`` POSTs for ``STALL_S`` before answering 200.

    An alert counts as delivered (``accepted``) only when the answer reaches a client still waiting for it; a
    stalled POST whose client hung up first (the worker stopping) is ``abandoned``, as a platform would drop a
    request whose sender went away. Duplicates are then alerts accepted twice."""

    stall_count: int = 0
    accepted: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    stalled: int = 0
    waiting: int = 0  # stalled POSTs whose client still waits
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        alert_id = json.loads(Request(environ).get_data())["id"]
        with self.lock:
            stall = self.stalled < self.stall_count
            self.stalled += stall
            self.waiting += stall
        stayed = not stall or _client_stays(environ.get("werkzeug.socket"), STALL_S)
        with self.lock:
            self.waiting -= stall
            (self.accepted if stayed else self.abandoned).append(alert_id)
        return Response("", 200)(environ, start_response)


def _client_stays(sock: socket.socket | None, seconds: float) -> bool:
    """Wait ``seconds``; False as soon as the client closes its end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(STALL_POLL_S)
        if sock is not None and _closed(sock):
            return False
    return True


def _closed(sock: socket.socket) -> bool:
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


@contextlib.contextmanager
def serve(hook: SlowHook) -> Iterator[str]:
    """Serve ``hook`` on loopback; yields its URL."""
    with serve_wsgi(hook) as base:
        yield f"{base}/hook"


def start(arguments: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """``khabardar ARGUMENTS`` as its own process group leader, as under a terminal, systemd or Docker."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tasks.cli", *arguments],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_ready(process: subprocess.Popen[bytes], log_path: Path) -> None:
    wait_for(
        lambda: b"ready." in log_path.read_bytes() or process.poll() is not None, READY_TIMEOUT_S, "khabardar to start"
    )
    assert process.poll() is None, tail(log_path)


def send(process: subprocess.Popen[bytes], signum: int, target: str) -> None:
    """``target`` "main": the main process alone (docker stop, kill PID); "group": every process of it (systemd's
    KillMode=control-group, Ctrl-C in a terminal)."""
    if target == "group":
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)


def exit_time_s(process: subprocess.Popen[bytes], timeout_s: float) -> float | None:
    """Seconds until the process exited, or None if it still ran after ``timeout_s`` (then it is killed)."""
    started = time.monotonic()
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        stop_group(process)
        return None
    return time.monotonic() - started


def survivors(process: subprocess.Popen[bytes]) -> list[str]:
    """Processes of the group still running (zombies excluded: they are gone, only not yet reaped)."""
    found = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True, check=False)
    return [pid for pid in found.stdout.split() if _state(pid) not in ("Z", "X", "")]


def _state(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def stop_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def tail(log_path: Path) -> str:
    return log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL_CHARS:]
