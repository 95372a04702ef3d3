"""Serving the web app (:mod:`worker.web.app`): in the foreground (``khabardar web``) or, for ``khabardar run``,
as a process of its own (``khabardar web`` started by ``run``), so a slow or huge request never takes a worker's
time or memory, and no Celery state is shared with it.

werkzeug's threaded WSGI server: one thread per connection, so a slow client holds only its own thread; request
bodies are capped by the app. It is enough for a probe, a scrape and a few people on a status page; put a proxy
in front before opening it beyond loopback.
"""

from __future__ import annotations

import atexit
import logging
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from werkzeug.serving import BaseWSGIServer, make_server

from worker.settings import Settings
from worker.web.app import WebApp
from worker.web.listen import parse_listen

log = logging.getLogger(__name__)

WEB_TOKEN_ENV = "KHABARDAR_WEB_TOKEN"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 5.0
PARENT_CHECK_INTERVAL_S = 1.0
READY = b"ok"


class WebStartError(Exception):
    """The web server could not start (the address is taken, or not this host's)."""


def web_app(settings: Settings) -> WebApp:
    return WebApp(settings, token=os.environ.get(WEB_TOKEN_ENV) or None)


def serve(listen: str, settings: Settings, *, listening: Callable[[str], None] = lambda _: None) -> None:
    """Serve until interrupted. ``listening`` hears "ok" once the socket is bound, or why it could not be."""
    host, port = parse_listen(listen)
    try:
        server = _server(host, port, settings)
    except OSError as exc:
        reason = f"cannot listen on {listen}: {exc.strerror or exc}"
        listening(reason)
        raise SystemExit(f"khabardar web: {reason}") from None
    log.info("web: serving /metrics, /healthz, /readyz and the status page on http://%s:%d/", host, port)
    listening(READY.decode())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _server(host: str, port: int, settings: Settings) -> BaseWSGIServer:
    # Bound here, not by werkzeug, which prints and exits the process when the address is taken.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, port), family=family) as bound:
        return make_server(host, port, web_app(settings), threaded=True, fd=bound.fileno())


def start_web_process(listen: str) -> subprocess.Popen[bytes]:
    """``khabardar web`` as a child process; WebStartError when it cannot listen. The child ends with this
    process: on a normal exit, and within a second when this one is killed."""
    read_end, write_end = os.pipe()
    command = [sys.executable, "-m", "tasks.cli", "web", "--listen", listen]
    command += ["--ready-fd", str(write_end), "--parent-pid", str(os.getpid())]
    child = subprocess.Popen(command, pass_fds=(write_end,))
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answers:
        ready, _, _ = select.select([answers], [], [], START_TIMEOUT_S)
        answer = answers.read().decode(errors="replace") if ready else f"no answer within {START_TIMEOUT_S:g} s"
    if answer != READY.decode():
        _stop(child, os.getpid())
        raise WebStartError(answer or f"it exited with code {child.returncode}")
    atexit.register(_stop, child, os.getpid())
    return child


def _stop(child: subprocess.Popen[bytes], parent_pid: int) -> None:
    if os.getpid() != parent_pid:
        return  # a forked worker exiting: the web server is not its child
    child.terminate()
    try:
        child.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()


def report_to(ready_fd: int | None) -> Callable[[str], None]:
    """Where a child web server tells ``run`` that it listens (or why not): one message, then the pipe closes."""

    def tell(message: str) -> None:
        if ready_fd is not None:
            with os.fdopen(ready_fd, "wb") as pipe:
                pipe.write(message.encode())

    return tell


def exit_with_parent(parent_pid: int | None) -> None:
    """End this process when ``parent_pid`` is gone (even killed by SIGKILL): a web server left behind would
    report on a deployment that is no longer running."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_INTERVAL_S)
        os._exit(0)

    if parent_pid is not None:
        threading.Thread(target=watch, daemon=True, name="khabardar-web-parent").start()
