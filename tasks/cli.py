"""The ``khabardar`` command (PRODUCT.md "CLI")."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tasks.arguments import BadLine, ConfigAnywhere, MatchInput, read_match_line
from tasks.cli_stories import cluster
from tasks.console import err, out
from tasks.webcli import NoWebOption, WebOption, start_web_for_run
from tasks.webcli import web as web_command
from worker.config import LoadedConfig, load_config
from worker.errors import ConfigError, KhabardarError
from worker.logs import configure_logging
from worker.settings import Settings

if TYPE_CHECKING:
    from worker.match import Matcher

cli = typer.Typer(
    name="khabardar",
    help="Watch Hindi news feeds and post watch-list alerts to chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=ConfigAnywhere,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file (else $KHABARDAR_CONFIG, else ./khabardar.yaml); --config may follow the subcommand too.",
    ),
]


@cli.callback()
def main_options(
    config: ConfigOption = None, verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False
) -> None:
    """Options for every command."""
    if config is not None:
        os.environ["KHABARDAR_CONFIG"] = str(config)  # worker children and beat read the same file
    level = "DEBUG" if verbose else Settings.from_env().log_level
    configure_logging(level, os.environ.get("KHABARDAR_LOG_FORMAT", "plain"))


def _settings() -> Settings:
    return Settings.from_env()


def _load_or_exit(path: Path | None = None) -> LoadedConfig:
    """The config at ``path`` (else the one in force); exit 1 with every error when it is invalid."""
    path = path or _settings().config_path
    try:
        return load_config(path)
    except ConfigError as exc:
        err.print(f"[bold red]khabardar: the config {path} is invalid:[/]", highlight=False)
        for line in exc.errors:
            err.print(f"  {line}", highlight=False, markup=False)
        raise typer.Exit(1) from exc


@cli.command("check-config")
def check_config() -> None:
    """Validate the config and summarise it; exit 1 with the errors."""
    from tasks.summary import print_summary

    loaded = _load_or_exit()
    print_summary(out, loaded)


@cli.command()
def run(
    concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    web: WebOption = None,
    no_web: NoWebOption = False,
) -> None:
    """Worker and beat in one process: the main job (embedded broker and store unless KHABARDAR_REDIS_URL is set)."""
    loaded = _load_or_exit()
    _check_start_up()
    start_web_for_run(loaded, web, no_web)
    _celery_worker(["-B", f"--concurrency={concurrency}"])


@cli.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(ctx: typer.Context) -> None:
    """The worker role alone (extra options go to celery worker)."""
    _load_or_exit()
    _check_start_up()
    _celery_worker(list(ctx.args))


@cli.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def beat(ctx: typer.Context) -> None:
    """The beat role alone: exactly one per deployment (extra options go to celery beat)."""
    _load_or_exit()
    _check_start_up(archive=False)
    from tasks.app import app

    app.start(["beat", f"--loglevel={_settings().log_level}", *ctx.args])


def _check_start_up(*, archive: bool = True) -> None:
    """Refuse to start on an unsafe XML parser or a setting that cannot work, with the reason, before Celery prints
    anything; wait for Redis when it does not answer yet; say so when the archive (which beat never opens) does not."""
    from tasks.preflight import check_archive, check_before_start
    from tasks.startup import check_xml_parser

    check_xml_parser()
    check_before_start(_settings())
    if archive:
        check_archive(_settings())


def _celery_worker(extra: list[str]) -> None:
    from tasks.app import QUEUES, app, declare_queues

    declare_queues(app)
    argv = ["worker", f"--loglevel={_settings().log_level}", f"--queues={','.join(QUEUES)}", *extra]
    app.worker_main(argv)


@cli.command()
def once(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the alerts; send and record nothing.")] = False,
) -> None:
    """Poll every feed once, process every new article, deliver the due alerts; no worker or broker needed."""
    from tasks.summary import print_once_report
    from worker.pipeline import Engine
    from worker.pipeline.once import run_once

    _load_or_exit()
    engine = Engine(_settings())
    with err.status("khabardar once") as status:
        report = run_once(engine, dry_run=dry_run, progress=lambda message: status.update(message))
    print_once_report(out, report, dry_run=dry_run)


@cli.command()
def match(explain: Annotated[bool, typer.Option("--explain", help="Show each match in its words.")] = False) -> None:
    """JSON lines {"id","title","text"} on stdin → JSON lines {"id","matches":[...]} on stdout. A bad line is
    reported on stderr with its number and skipped; the exit status is 1 if any line was bad."""
    from worker.match import Matcher

    matcher = Matcher.from_watchlists(_load_or_exit().config.watchlists)
    bad_lines = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            document = read_match_line(line)
        except BadLine as exc:
            err.print(f"khabardar match: stdin line {number}: {exc}", markup=False, highlight=False)
            bad_lines += 1
            continue
        _print_matches(matcher, document, explain=explain)
    if bad_lines:
        raise typer.Exit(1)


def _print_matches(matcher: Matcher, document: MatchInput, *, explain: bool) -> None:
    from worker.match import explain as explain_match

    found = matcher.match(document.title, document.text)
    if explain:
        for item in found:
            err.print(explain_match(item, document.title, document.text), markup=False, highlight=False)
    print(json.dumps({"id": document.id, "matches": [m.to_json() for m in found]}, ensure_ascii=False))
    sys.stdout.flush()


@cli.command()
def clean(
    url: Annotated[str | None, typer.Argument(help="Fetch and clean this article.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Clean a saved page instead of fetching.")] = None,
    page_url: Annotated[str | None, typer.Option("--url", help="The saved page's URL.")] = None,
) -> None:
    """Print the cleaned article as JSON."""
    from worker.clean import clean_html
    from worker.http import HttpClient

    if (url is None) == (html is None):
        err.print("khabardar clean: give a URL or --html FILE", markup=False)
        raise typer.Exit(2)
    sites = _sites_if_configured()
    try:
        if html is not None:
            article = clean_html(html.read_bytes(), url=page_url, sites=sites)
        else:
            response = HttpClient().get(str(url))
            article = clean_html(response.body, url=response.url, content_type=response.content_type, sites=sites)
    except (KhabardarError, OSError) as exc:
        err.print(f"khabardar clean: {exc}", markup=False)
        raise typer.Exit(1) from exc
    print(json.dumps(article.to_json(), ensure_ascii=False, indent=2, default=str))


def _sites_if_configured() -> dict[str, Any]:
    path = _settings().config_path
    return dict(_load_or_exit().config.sites) if path.exists() else {}


@cli.command()
def channels() -> None:
    """Each channel's state (ok or DISABLED), alerts sent today, and its last error."""
    from tasks.operator import channels_table
    from worker.store import open_store

    out.print(channels_table(_load_or_exit(), open_store(_settings())))


@cli.command()
def feeds() -> None:
    """Each feed's health: status, last success, errors in a row, last error, items a day, 304 share, next check,
    and what is wrong with it (silent, not a feed, moved, gone, failing)."""
    from datetime import UTC, datetime

    from tasks.feedhealth import feeds_table
    from worker.store import open_store

    out.print(feeds_table(_load_or_exit(), open_store(_settings()), datetime.now(UTC)))


@cli.command("test-alert")
def test_alert(channel: Annotated[str, typer.Argument(help="A channel name from the config.")]) -> None:
    """Send a sample alert to CHANNEL, to check a webhook before relying on it."""
    from tasks.operator import send_test_alert

    send_test_alert(_load_or_exit(), channel)


def _add_operator_commands() -> None:
    from tasks.operator import alerts_cli

    cli.add_typer(alerts_cli, name="alerts")
    cli.command("web")(web_command)
    from tasks.digest_cli import digest_cli

    cli.add_typer(digest_cli, name="digest")


_add_operator_commands()
cli.command("cluster")(cluster)


def _add_editor_commands() -> None:
    from tasks.cli_archive import register

    register(cli)


_add_editor_commands()


def main() -> None:  # the console script
    cli()


if __name__ == "__main__":
    main()
