"""Process one new article: fetch and clean it, match it, and record one pending alert per watch-list and channel."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

from worker.alerts.model import Alert, AlertMatch, ArticleSummary, alert_id
from worker.clean import CleanArticle
from worker.feeds.links import without_tracking
from worker.fetch import fetch_article
from worker.flow.hold import record_alert
from worker.match import EntityMatch
from worker.pipeline.engine import Engine
from worker.pipeline.poll import ArticleJob
from worker.snippet import snippet_around

log = logging.getLogger(__name__)

LEDE_MAX_CHARS = 300


def process_article(engine: Engine, job: ArticleJob, now: datetime, *, record: bool = True) -> list[Alert]:
    """The alerts this article newly adds to the outbox (none when they were recorded before).

    With ``record=False`` (a dry run) nothing is written: every alert the article would give is returned.
    """
    article = _article(engine, job)
    matches = engine.matcher().match(article.title, article.text)
    created = []
    for watchlist, found in _by_watchlist(matches).items():
        for alert in _alerts(engine, job, article, watchlist, found, now):
            if not record or record_alert(engine.store, engine.config, alert, now):  # held, or in the outbox
                created.append(alert)
    log.info("article %s: %d matches, %d new alerts", job.url or job.key, len(matches), len(created))
    return created


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
    engine: Engine, job: ArticleJob, article: CleanArticle, watchlist: str, found: list[EntityMatch], now: datetime
) -> list[Alert]:
    config = engine.config.watchlist(watchlist)
    if config is None:
        return []
    summary = _summary(job, article, found)
    matches = tuple(AlertMatch(m.entity, m.kind, m.count, m.names) for m in found)
    return [
        Alert(alert_id(job.key, watchlist, channel), watchlist, channel, summary, matches, now)
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
