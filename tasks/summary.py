"""What the CLI prints for people: the config summary, the report of a ``once`` run, dry-run alerts."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from worker.alerts.console import console_text
from worker.alerts.model import Alert
from worker.alerts.view import AlertView
from worker.config import LoadedConfig
from worker.pipeline.once import OnceReport


def print_summary(console: Console, loaded: LoadedConfig) -> None:
    config = loaded.config
    console.print(f"config OK (version {loaded.version}, {len(loaded.files)} file(s))")
    feeds = Table("feed", "url", "every", title=f"{len(config.feeds)} feeds", title_justify="left")
    for feed in config.feeds:
        feeds.add_row(feed.name, str(feed.url), _duration(feed.interval.total_seconds()))
    console.print(feeds)
    channels = Table("channel", "type", title=f"{len(config.channels)} channels", title_justify="left")
    for name, channel in config.channels.items():
        channels.add_row(name + (" (ops)" if name == config.ops else ""), channel.type)
    console.print(channels)
    for watchlist in config.watchlists:
        table = Table(
            "entity",
            "kind",
            "names / query",
            title=f"watch-list {watchlist.name} → {', '.join(watchlist.channels)}",
            title_justify="left",
        )
        for entity in watchlist.entities:
            terms = entity.query or ", ".join(entity.names)
            extras = [f"short: {', '.join(entity.short_names)}"] if entity.short_names else []
            extras += ["fuzzy"] if entity.fuzzy else []
            table.add_row(entity.id, entity.kind, "; ".join([terms, *extras]))
        console.print(table)


def print_once_report(console: Console, report: OnceReport, *, dry_run: bool) -> None:
    if dry_run:
        for alert in report.alerts:
            print_alert(console, alert)
        print_folds(console, report)
    console.print(
        f"{report.feeds_polled} feeds polled, {len(report.feed_errors)} failed; {report.articles} new articles; "
        f"{len(report.alerts)} {'alerts would be sent' if dry_run else 'new alerts'}"
    )
    for feed, error in report.feed_errors.items():
        console.print(f"  feed {feed}: {error}", markup=False)
    if not dry_run:
        delivered = ", ".join(f"{count} {state}" for state, count in sorted(report.outcomes.items())) or "none"
        console.print(f"deliveries: {delivered}; {report.still_pending} alerts wait for a later retry")


def print_folds(console: Console, report: OnceReport) -> None:
    """Each article of a dry run that would fold into an earlier article's story (and so alert no one again)."""
    if not report.folds:
        return
    table = Table(
        "article",
        "folds into the story of",
        title=f"{len(report.folds)} article(s) would fold into an earlier story",
        title_justify="left",
    )
    for fold in report.folds:
        table.add_row(_named(fold.title, fold.article), _named(fold.story_title, fold.story))
    console.print(table)


def _named(title: str, key: str) -> str:
    return escape(f"{title}\n{key}" if title else key)


def print_alert(console: Console, alert: Alert) -> None:
    """The alert as the console channel shows it, under the channel it would have gone to."""
    console.rule(f"{alert.watchlist} → {alert.channel}", style="dim")
    console.print(console_text(AlertView.of(alert)), markup=False, highlight=False)


def _duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
