"""Fetch an article page and clean it, falling back to the feed's own title and summary when that fails."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from worker.clean import CleanArticle, clean_feed_entry, clean_headline, clean_html
from worker.config import SiteProfile
from worker.errors import CleanError, FetchError
from worker.http import HttpClient
from worker.http.client import PAGE_MAX_BYTES

log = logging.getLogger(__name__)


def fetch_article(
    http: HttpClient,
    *,
    url: str,
    feed_title: str,
    feed_summary_html: str,
    published: datetime | None,
    sites: Mapping[str, SiteProfile],
) -> CleanArticle:
    """The cleaned article at ``url``; the feed's text (``extracted_by="feed"``) when the page fails us."""
    try:
        response = http.get(url, max_bytes=PAGE_MAX_BYTES)
        article = clean_html(
            response.body,
            url=response.url,
            content_type=response.content_type,
            sites=sites,
            feed_summary_html=feed_summary_html,
        )
    except (FetchError, CleanError) as exc:
        log.warning("fetch: using the feed's text for %s: %s", url, exc)
        return clean_feed_entry(
            url=url, title=feed_title, summary_html=feed_summary_html, published=published, source=""
        )
    if not article.title:
        article = replace(article, title=clean_headline(feed_title))
    return article
