"""``khabardar web`` and the ``--web HOST:PORT | --no-web`` options of ``khabardar run``."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from worker.config import LoadedConfig
from worker.settings import Settings
from worker.web.listen import parse_listen

log = logging.getLogger(__name__)


def _checked_listen(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_listen(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    return value


WebOption = Annotated[
    str | None,
    typer.Option("--web", metavar="HOST:PORT", callback=_checked_listen, help="Serve the web here (else web.listen)."),
]
NoWebOption = Annotated[bool, typer.Option("--no-web", help="Do not serve /metrics, the probes and the status page.")]


def start_web_for_run(loaded: LoadedConfig, web: str | None, no_web: bool) -> None:
    """``khabardar run``'s web server, in a child process, unless ``--no-web``.

    An address given with ``--web`` that cannot be served stops the start (the operator asked for it); the
    configured one only logs an error, because alerts matter more than the page about them."""
    if no_web:
        return
    from tasks.web import WebStartError, start_web_process

    try:
        start_web_process(web or loaded.config.web.listen)
    except WebStartError as exc:
        if web is not None:
            raise SystemExit(f"khabardar: web: {exc} (choose another --web HOST:PORT, or --no-web)") from None
        log.error("web: %s; running without /metrics, the probes and the status page", exc)


def web(
    listen: Annotated[
        str | None,
        typer.Option("--listen", metavar="HOST:PORT", callback=_checked_listen, help="Else web.listen of the config."),
    ] = None,
    ready_fd: Annotated[int | None, typer.Option(hidden=True)] = None,  # set by run: where to say it listens
    parent_pid: Annotated[int | None, typer.Option(hidden=True)] = None,  # set by run: end when it ends
) -> None:
    """Serve /metrics, /healthz, /readyz and the status page alone (for a Redis deployment's web service)."""
    from tasks.cli import _load_or_exit
    from tasks.web import exit_with_parent, report_to, serve

    exit_with_parent(parent_pid)
    loaded = _load_or_exit()
    serve(listen or loaded.config.web.listen, Settings.from_env(), listening=report_to(ready_fd))
