"""``khabardar once``: every feed polled, every new article processed, every due alert delivered, in-process.

A dry run assigns stories as the pipeline does, in an index of its own in memory (the shared one is not written),
so it shows which articles would fold into an earlier article's story, and lists each story's alert once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from worker.alerts.model import Alert
from worker.errors import FeedError, FetchError
from worker.flow.flush import flush_due_digests
from worker.pipeline.deliver import DeliveryOutcome, deliver_alert
from worker.pipeline.engine import Engine
from worker.pipeline.poll import ArticleJob, run_poll
from worker.pipeline.process import process_article

if TYPE_CHECKING:
    from worker.stories import MemoryIndex

log = logging.getLogger(__name__)

SHORT_WAIT_S = 10.0  # back-offs up to this long (a Retry-After of a few seconds) are waited out
DELIVERY_BATCH = 500
DELIVERY_MAX_S = 120.0
WAIT_STEP_S = 0.25

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Fold:
    """In a dry run: an article that would fold into the story of an earlier one."""

    article: str  # its key (the URL, as a rule)
    title: str
    story: str  # the key of the story's first article
    story_title: str


@dataclass
class OnceReport:
    feeds_polled: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)
    articles: int = 0
    alerts: list[Alert] = field(default_factory=list)  # new and due in this run (would-be alerts, one per id, if dry)
    outcomes: dict[str, int] = field(default_factory=dict)
    still_pending: int = 0
    folds: list[Fold] = field(default_factory=list)  # a dry run's articles that join an earlier story
    titles: dict[str, str] = field(default_factory=dict)  # a dry run's articles: key -> title


def run_once(engine: Engine, *, dry_run: bool = False, progress: Progress | None = None) -> OnceReport:
    report = OnceReport()
    say = progress or (lambda _message: None)
    stories = _dry_run_stories(engine) if dry_run else None
    for feed in engine.config.feeds:
        say(f"polling {feed.name}")
        _poll_and_process(engine, feed.name, report, stories)
    if stories is not None:
        report.folds = _folds(stories.assignments(), report.titles)
    if not dry_run:
        flush_due_digests(engine.store, engine.config, datetime.now(UTC))  # due digests go out like due alerts
        say("delivering alerts")
        _deliver_due(engine, report)
        report.still_pending = engine.store.outbox_counts()["pending"]
    return report


def _poll_and_process(engine: Engine, feed_name: str, report: OnceReport, stories: MemoryIndex | None) -> None:
    """Poll one feed and process its new articles; with ``stories`` (a dry run) record nothing and assign stories
    there."""
    now = datetime.now(UTC)
    dry_run = stories is not None

    def process(job: ArticleJob) -> None:
        alerts = process_article(engine, job, now, record=not dry_run, stories=stories)
        if dry_run:
            known = {alert.id for alert in report.alerts}
            alerts = [alert for alert in alerts if alert.id not in known]  # a folded copy: no second alert
            report.titles[job.key] = job.title
        report.alerts += alerts
        report.articles += 1

    try:
        run_poll(engine, feed_name, now, enqueue=process, scheduled=False, record=not dry_run)
    except (FetchError, FeedError) as exc:
        report.feed_errors[feed_name] = str(exc)
        log.warning("feed %s: %s", feed_name, exc)
        return
    report.feeds_polled += 1


def _dry_run_stories(engine: Engine) -> MemoryIndex:
    from worker.stories import MemoryIndex  # numpy and scipy: only when stories are assigned

    return MemoryIndex(window_s=engine.config.stories.window.total_seconds())


def _folds(assignments: dict[str, str], titles: dict[str, str]) -> list[Fold]:
    """The articles whose story began with another article, in arrival order."""
    return [
        Fold(article, titles.get(article, ""), story, titles.get(story, ""))
        for article, story in assignments.items()
        if article != story
    ]


def _deliver_due(engine: Engine, report: OnceReport) -> None:
    """Deliver until nothing is due within SHORT_WAIT_S (or the run has spent DELIVERY_MAX_S on it)."""
    give_up_at = time.monotonic() + DELIVERY_MAX_S
    while time.monotonic() < give_up_at:
        due = engine.store.outbox_due(time.time(), DELIVERY_BATCH)
        for alert_id in due:
            _count(report, deliver_alert(engine, alert_id, time.time()))
        if due:
            continue
        if not engine.store.outbox_due(time.time() + SHORT_WAIT_S, 1):
            return
        time.sleep(WAIT_STEP_S)


def _count(report: OnceReport, outcome: DeliveryOutcome) -> None:
    report.outcomes[outcome.state] = report.outcomes.get(outcome.state, 0) + 1
