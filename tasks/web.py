"""Serving the web app (:mod:`worker.web.app`): in the foreground (``khabardar web``) or, for ``khabardar run``,
in a process of its own, so a slow or huge request never takes a worker's time or memory.

werkzeug's threaded WSGI server: one thread per connection, so a slow client holds only its own thread; request
bodies are capped by the app. It is enough for a probe, a scrape and a few people on a status page; put a proxy
in front before opening it beyond loopback.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from werkzeug.serving import BaseWSGIServer, make_server

from worker.logs import configure_logging
from worker.settings import Settings
from worker.web.app import WebApp
from worker.web.listen import parse_listen

log = logging.getLogger(__name__)

WEB_TOKEN_ENV = "KHABARDAR_WEB_TOKEN"
START_TIMEOUT_S = 30.0
PARENT_CHECK_INTERVAL_S = 1.0


def web_app(settings: Settings) -> WebApp:
    return WebApp(settings, token=os.environ.get(WEB_TOKEN_ENV) or None)


def serve(listen: str, settings: Settings, started: Connection | None = None) -> None:
    """Serve until interrupted; tell ``started`` "ok" once listening, or why it could not."""
    host, port = parse_listen(listen)
    try:
        server = _server(host, port, settings)
    except OSError as exc:
        if started is not None:
            started.send(f"cannot listen on {listen}: {exc.strerror or exc}")
            return
        raise SystemExit(f"khabardar web: cannot listen on {listen}: {exc.strerror or exc}") from None
    log.info("web: serving /metrics, /healthz, /readyz and the status page on http://%s:%d/", host, port)
    if started is not None:
        started.send("ok")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class WebStartError(Exception):
    """The web server could not start (the address is taken, or not this host's)."""


def _server(host: str, port: int, settings: Settings) -> BaseWSGIServer:
    # Bound here, not by werkzeug, which prints and exits the process when the address is taken.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.create_server((host, port), family=family) as listening:
        return make_server(host, port, web_app(settings), threaded=True, fd=listening.fileno())


def start_web_process(listen: str) -> BaseProcess:
    """The web server in a child process (spawned, so no Celery state crosses over); WebStartError when it
    cannot listen. The child ends when this process does, even when this one is killed."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(listen, os.getpid(), sender), name="khabardar-web", daemon=True)
    child.start()
    answer = receiver.recv() if receiver.poll(START_TIMEOUT_S) else f"no answer within {START_TIMEOUT_S:g} s"
    if answer != "ok":
        child.kill()
        raise WebStartError(answer)
    return child


def _child(listen: str, parent_pid: int, started: Connection) -> None:
    settings = Settings.from_env()
    configure_logging(settings.log_level, os.environ.get("KHABARDAR_LOG_FORMAT", "plain"))
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    serve(listen, settings, started)


def _exit_with_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_INTERVAL_S)
    os._exit(0)  # the parent died (even by SIGKILL): a web server left behind would report a dead deployment
