"""The editors' commands over the archive: `khabardar backtest`, `khabardar search` (PRODUCT.md "Second round")."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tasks.console import err, out
from tasks.highlight import sample_lines
from worker.archive import Archive, ArchiveError, open_archive
from worker.archive.backtest import BacktestResult, Change, backtest
from worker.archive.backtest import Progress as Advance
from worker.archive.search import Hit, search
from worker.archive.store import window_since
from worker.archive.variants import EntityVariants, find_variants
from worker.config import LoadedConfig, WatchlistConfig
from worker.config.models import ARCHIVE_DAYS_MAX
from worker.match import QuerySyntaxError

T = TypeVar("T")
CHANGES_SHOWN = 50  # gained/lost lines printed as text; --json lists them all
MAX_WORKERS = 4  # matching processes of a backtest; reading and counting stay in the command's own

DaysOption = Annotated[
    int | None, typer.Option("--days", min=1, max=ARCHIVE_DAYS_MAX, help="Only the articles of the last N days.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (see PRODUCT.md).")]


def register(cli: typer.Typer) -> None:
    cli.command("backtest")(backtest_command)
    cli.command("search")(search_command)
    cli.command("variants")(variants_command)


def backtest_command(
    days: DaysOption = None,
    watchlist: Annotated[str | None, typer.Option("--watchlist", help="Only this watch-list.")] = None,
    as_json: JsonOption = False,
    against: Annotated[Path | None, typer.Option("--against", help="The config before the edit.")] = None,
) -> None:
    """Run the config's watch-lists over the archive: per entity the articles, alerts, per day and samples."""
    loaded = _loaded()
    watchlists = _chosen(loaded.config.watchlists, watchlist)
    old = _chosen(_loaded(against).config.watchlists, watchlist, required=False) if against else None
    archive, since = _archive(), _since(days)
    total = _guarded(lambda: archive.count(since))
    if total == 0:
        err.print(f"khabardar backtest: the archive holds no articles{_window(days)}; nothing to run", markup=False)
    with _progress(total) as advance:
        stream = archive.stream(since)
        result = _guarded(lambda: backtest(stream, watchlists, against=old, progress=advance, workers=_workers()))
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    elif total:
        _print_backtest(result)


def search_command(
    query: Annotated[str, typer.Argument(help='The query language of topic queries, e.g. "कोरोना AND लॉकडाउन".')],
    days: DaysOption = None,
    as_json: JsonOption = False,
) -> None:
    """The archived articles that match QUERY, newest first, the matched words highlighted."""
    _loaded()
    archive = _archive()
    try:
        hits = search(archive.stream(_since(days), newest_first=True), query)
        _guarded(lambda: _print_hits(hits, as_json))
    except QuerySyntaxError as exc:
        err.print(f"khabardar search: the query does not parse: {exc}", markup=False)
        err.print(f"  {query}\n  {' ' * (exc.column - 1)}^", markup=False, highlight=False)
        raise typer.Exit(2) from exc


def variants_command(
    watchlist: Annotated[str | None, typer.Option("--watchlist", help="Only this watch-list.")] = None,
    days: DaysOption = None,
    as_json: JsonOption = False,
) -> None:
    """Per entity, spellings in the archive near one of its names that it does not match today."""
    watchlists = _chosen(_loaded().config.watchlists, watchlist)
    archive, since = _archive(), _since(days)
    if _guarded(lambda: archive.count(since)) == 0:
        err.print(f"khabardar variants: the archive holds no articles{_window(days)}", markup=False)
        return
    found = _guarded(lambda: find_variants(archive.stream(since), watchlists))
    for entity in found:
        for variant in entity.variants:
            if as_json:
                row = {"watchlist": entity.watchlist, "entity": entity.entity, **variant.__dict__}
                print(json.dumps(row, ensure_ascii=False))
        if not as_json:
            _print_variants(entity)


def _print_variants(entity: EntityVariants) -> None:
    names = ", ".join(entity.names)
    if not entity.variants:
        out.print(f"[bold]{entity.watchlist}/{entity.entity}[/] ({names}): no other spelling found", highlight=False)
        return
    table = Table(title=f"{entity.watchlist}/{entity.entity} ({names})", title_justify="left")
    for column in ("spelling", "count", "example"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for variant in entity.variants:
        table.add_row(variant.spelling, str(variant.count), variant.example)
    out.print(table)


def _print_hits(hits: Iterator[Hit], as_json: bool) -> None:
    count = 0
    for hit in hits:
        count += 1
        if as_json:
            print(json.dumps(hit.to_json(), ensure_ascii=False), flush=True)
            continue
        when = hit.article.when.strftime("%Y-%m-%d %H:%M")
        out.print(f"[bold]{when}[/]  {hit.article.outlet}  {hit.article.url}", highlight=False)
        for line in sample_lines(hit.article.title, hit.article.text, hit.spans):
            out.print("  ", line)
    if not as_json:
        err.print(f"{count} articles matched", markup=False)


def _print_backtest(result: BacktestResult) -> None:
    table = Table(title=f"backtest over {result.articles} archived articles")
    for column in ("watch-list", "entity", "articles", "alerts", "per day"):
        table.add_column(column, justify="right" if column in ("articles", "alerts") else "left")
    for tally in result.entities:
        per_day = "  ".join(f"{day[5:]}: {n}" for day, n in sorted(tally.per_day.items()))
        table.add_row(tally.watchlist, tally.entity, str(tally.articles), str(tally.alerts), per_day or "-")
    out.print(table)
    for tally in result.entities:
        for article, match in tally.samples:
            out.print(f"[bold]{tally.watchlist}/{tally.entity}[/]  {article.url}", highlight=False)
            for line in sample_lines(article.title, article.text, match.spans):
                out.print("  ", line)
    if result.compared:
        _print_changes("gained", result.gained)
        _print_changes("lost", result.lost)


def _print_changes(what: str, changes: list[Change]) -> None:
    out.print(f"[bold]{what}: {len(changes)}[/] (article, watch-list/entity)")
    for change in changes[:CHANGES_SHOWN]:
        out.print(f"  {change.url}  {change.watchlist}/{change.entity}", highlight=False)
    if len(changes) > CHANGES_SHOWN:
        out.print(f"  … and {len(changes) - CHANGES_SHOWN} more (--json lists them all)")


@contextmanager
def _progress(total: int) -> Iterator[Advance | None]:
    """A progress bar on a terminal; nothing when stderr is a pipe or a file."""
    if not err.is_terminal or total == 0:
        yield None
        return
    columns = (TextColumn("backtest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("backtest", total=total)

        def advance(done: int) -> None:
            bar.update(task, completed=done)

        yield advance


def _loaded(path: Path | None = None) -> LoadedConfig:
    from tasks.cli import _load_or_exit

    return _load_or_exit(path)


def _chosen(watchlists: list[WatchlistConfig], name: str | None, *, required: bool = True) -> list[WatchlistConfig]:
    if name is None:
        return list(watchlists)
    chosen = [watchlist for watchlist in watchlists if watchlist.name == name]
    if not chosen and required:
        known = ", ".join(watchlist.name for watchlist in watchlists) or "none"
        err.print(f"khabardar: no watch-list {name!r} in the config (known: {known})", markup=False)
        raise typer.Exit(2)
    return chosen


def _archive() -> Archive:
    from tasks.cli import _settings

    return _guarded(lambda: open_archive(_settings()))


def _guarded(call: Callable[[], T]) -> T:
    try:
        return call()
    except ArchiveError as exc:
        err.print(f"khabardar: {exc}", markup=False)
        raise typer.Exit(1) from exc


def _workers() -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _since(days: int | None) -> datetime | None:
    return window_since(days, datetime.now(UTC))


def _window(days: int | None) -> str:
    return "" if days is None else f" from the last {days} days"
