"""Process one new article: fetch and clean it, give it its story, match it, and record one pending alert per
watch-list and channel.

A watch-list with ``stories: fold`` (the default) keys its alerts by the story, not the article: a later copy or
rewrite of a story gives the same alert id as the first article's alert, which the outbox has already recorded,
so it adds no second alert. Instead the copy is remembered with that alert (its URL, outlet, title and published
time) and shown on it (worker/pipeline/updates.py): an alert not sent yet goes out with it ("और भी: …"); one
already sent is edited in place where the platform allows it (Discord, Telegram), the generic webhook gets an
``alert.updated``, other platforms only record it. Those edits go through the outbox like alerts, a burst of
copies coalesced into one. With ``stories: every`` each article is its own alert, as before stories.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from worker import metrics
from worker.alerts.model import Alert, AlertMatch, ArticleSummary, alert_id
from worker.archive import archive_article
from worker.clean import CleanArticle
from worker.errors import StoreError
from worker.feeds.links import without_tracking
from worker.fetch import fetch_article
from worker.flow.hold import Recorded, record_alert
from worker.match import EntityMatch
from worker.match.prominence import prominent
from worker.pipeline.engine import Engine
from worker.pipeline.poll import ArticleJob
from worker.pipeline.updates import request_update
from worker.snippet import snippet_around

if TYPE_CHECKING:
    from worker.stories import StoryIndex

log = logging.getLogger(__name__)

LEDE_MAX_CHARS = 300


def process_article(
    engine: Engine,
    job: ArticleJob,
    now: datetime,
    *,
    record: bool = True,
    stories: StoryIndex | None = None,
    on_update: Callable[[str], None] | None = None,
) -> list[Alert]:
    """The alerts this article newly adds to the outbox that are due now (none when they were recorded before; a
    held alert is counted and goes out later in a digest).

    ``on_update`` is called with the id of each update this article made pending (due UPDATE_COALESCE_S later;
    the outbox sweep finds it without). With ``record=False`` (a dry run) nothing is written: every alert the
    article would give is returned, its story assigned in ``stories`` (the run's own index in memory) when given.
    """
    article = _article(engine, job)
    story, first = _story(engine, job, article, now, stories) if record or stories is not None else (job.key, True)
    matches = engine.matcher().match(article.title, article.text)
    if record:  # kept for the editors' tools (backtest, search, variants); a failing archive never stops alerts
        archive_article(
            engine.settings, engine.config, _summary(job, article, matches), article.text, matches, now, story=story
        )
    created: list[Alert] = []
    held: set[str] = set()
    for watchlist, found in _by_watchlist(matches).items():
        for alert in _alerts(engine, job, article, watchlist, found, now, story):
            recorded = record_alert(engine.store, engine.config, alert, now) if record else Recorded()
            if recorded:  # held, or in the outbox
                created.append(alert)
                if recorded.hold is not None:  # it waits in the outbox for its digest: no delivery task
                    held.add(alert.id)
                    metrics.count_held(engine, recorded.hold.reason)
            elif _folded(job, story, first, alert) and (update := _record_update(engine, alert, now)) and on_update:
                on_update(update)
    log.info("article %s: %d matches, %d new alerts", job.url or job.key, len(matches), len(created))
    metrics.count_article(engine, matches, created, record=record)
    return [alert for alert in created if alert.id not in held]


def _folded(job: ArticleJob, story: str, first: bool, alert: Alert) -> bool:
    """A later article of another article's story, whose alert is keyed by the story (``stories: fold``); not
    the first article processed again (a retried task finds its own entry)."""
    return not first and story != job.key and alert.id == alert_id(story, alert.watchlist, alert.channel)


def _record_update(engine: Engine, alert: Alert, now: datetime) -> str | None:
    """A later article of a story whose alert this watch-list and channel already have: remembered for the
    alert's "also in", never alerted again; the id of the update it made pending when the alert was sent already
    (recorded first, then the alert's state read: see worker/pipeline/updates.py)."""
    article = alert.article
    published = article.published.isoformat() if article.published else None
    update = {"url": article.url, "outlet": article.outlet, "title": article.title, "published": published}
    try:
        engine.stories().add_update(alert.id, update, now.timestamp())
    except StoreError as exc:
        log.warning("alert %s: the later copy %s was not recorded: %s", alert.id, article.url, exc)
        return None
    log.info("alert %s: folded a later article of its story, %s", alert.id, article.url)
    metrics.count_story_fold(engine, alert.watchlist)
    return request_update(engine, alert.id, now.timestamp())


def _story(
    engine: Engine, job: ArticleJob, article: CleanArticle, now: datetime, index: StoryIndex | None = None
) -> tuple[str, bool]:
    """The key of the first article of this article's story in ``index`` (else the engine's), and whether that is
    this article (its own key when the index cannot be read)."""
    from worker.stories import StoryInput, assign_story

    summary_only = article.extracted_by == "feed"  # the page gave nothing: only the feed's summary is known
    story = StoryInput(job.key, article.title or job.title, article.text, summary_only=summary_only)
    try:
        assigned = assign_story(index or engine.stories(), story, now.timestamp())
        return assigned.story_id, assigned.is_first
    except StoreError as exc:
        log.warning("article %s: story index unavailable, taken as a new story: %s", job.url or job.key, exc)
        return job.key, True


def _article(engine: Engine, job: ArticleJob) -> CleanArticle:
    config = engine.config
    return fetch_article(
        engine.http(),
        url=job.url or job.key,
        feed_title=job.title,
        feed_summary_html=job.summary_html,
        published=job.published_at,
        sites=config.sites,
    )


def _by_watchlist(matches: list[EntityMatch]) -> dict[str, list[EntityMatch]]:
    grouped: dict[str, list[EntityMatch]] = defaultdict(list)
    for match in matches:
        grouped[match.watchlist].append(match)
    return grouped


def _alerts(
    engine: Engine,
    job: ArticleJob,
    article: CleanArticle,
    watchlist: str,
    found: list[EntityMatch],
    now: datetime,
    story: str,
) -> list[Alert]:
    config = engine.config.watchlist(watchlist)
    if config is None:
        return []
    matches = prominent(config, found, article.text)
    if not matches:
        return []
    summary = _summary(job, article, [match for match, _ in matches])
    alert_matches = tuple(AlertMatch(m.entity, m.kind, m.count, m.names, where) for m, where in matches)
    key = story if config.stories == "fold" else job.key
    return [
        Alert(alert_id(key, watchlist, channel), watchlist, channel, summary, alert_matches, now, story=story)
        for channel in config.channels
    ]


def _summary(job: ArticleJob, article: CleanArticle, found: list[EntityMatch]) -> ArticleSummary:
    url = without_tracking(job.url or article.url)
    return ArticleSummary(
        url=url,
        title=article.title or job.title,
        source=job.feed,
        outlet=article.source or (urlsplit(url).hostname or "").removeprefix("www."),
        published=article.published or job.published_at,
        snippet=_snippet(article, found),
    )


def _snippet(article: CleanArticle, found: list[EntityMatch]) -> str:
    text_spans = [span for match in found for span in match.spans if span.field == "text"]
    if text_spans:
        first = min(text_spans, key=lambda span: span.start)
        return snippet_around(article.text, first.start, first.end)
    lede = article.text.split("\n\n", 1)[0]
    return snippet_around(lede, 0, 0, max_chars=LEDE_MAX_CHARS)
