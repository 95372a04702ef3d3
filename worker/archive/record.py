"""The pipeline's one call into the archive: keep each processed article, prune now and then, never fail the job."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import datetime

from worker.alerts.model import ArticleSummary
from worker.archive.db import database_url
from worker.archive.store import Archive, ArchivedArticle
from worker.config import Config
from worker.errors import KhabardarError
from worker.match import EntityMatch
from worker.settings import Settings

log = logging.getLogger(__name__)

PRUNE_EVERY_S = 3600.0  # each process prunes at most once an hour: a DELETE per article would be waste
RETRY_AFTER_S = 60.0  # an archive that failed is not tried again for this long: articles go on without it

_archives: dict[str, Archive] = {}
_next_prune: dict[str, float] = {}
_resting_until = 0.0
_lock = threading.Lock()


def open_archive(settings: Settings, environ: Mapping[str, str] | None = None) -> Archive:
    """The archive of this process for the configured database, opened (and migrated) on first use."""
    url = database_url(settings, environ)
    key = url.render_as_string(hide_password=False)
    with _lock:
        if key not in _archives:
            _archives[key] = Archive(url)
        return _archives[key]


def archive_article(
    settings: Settings,
    config: Config,
    summary: ArticleSummary,
    text: str,
    matches: Sequence[EntityMatch],
    now: datetime,
    story: str | None = None,
) -> None:
    """Keep the cleaned article for the editors' tools; a failing archive is logged, never raised: alerts go on."""
    article = ArchivedArticle(
        url=summary.url,
        title=summary.title,
        text=text,
        archived_at=now,
        outlet=summary.outlet,
        feed=summary.source,
        published=summary.published,
        story=story,
        matches=[match.to_json() for match in matches],
    )
    global _resting_until
    if time.monotonic() < _resting_until:
        return
    try:
        archive = open_archive(settings)
        archive.add(article)
        _prune_now_and_then(archive, config.archive.days, now)
    except KhabardarError as exc:
        _resting_until = time.monotonic() + RETRY_AFTER_S
        log.warning("article %s was not archived (next try in %.0f s): %s", summary.url, RETRY_AFTER_S, exc)


def _prune_now_and_then(archive: Archive, days: int, now: datetime) -> None:
    key = str(archive.url)
    with _lock:
        if now.timestamp() < _next_prune.get(key, 0.0):
            return
        _next_prune[key] = now.timestamp() + PRUNE_EVERY_S
    deleted = archive.prune(days, now)
    if deleted:
        log.info("archive: pruned %d articles older than %d days", deleted, days)
