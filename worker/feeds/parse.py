"""Turn fetched feed bytes into entries. feedparser only parses here: it never fetches anything itself."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from worker.errors import FeedError
from worker.feeds.links import article_key

log = logging.getLogger(__name__)

MAX_ENTRIES = 500  # a feed with more items than this is a listing page gone wrong, not news


@dataclass(frozen=True)
class FeedEntry:
    key: str  # article identity (normalized link, else GUID)
    link: str | None
    guid: str | None
    title: str
    summary_html: str
    published: datetime | None


@dataclass(frozen=True)
class FeedDocument:
    title: str
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]  # what was wrong with a feed that still yielded entries


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> FeedDocument:
    """Parse RSS/Atom bytes; raise :class:`FeedError` when nothing usable is in them."""
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, resolve_relative_uris=False, sanitize_html=True)
    entries = tuple(entry for entry in map(_entry, parsed.entries[:MAX_ENTRIES]) if entry is not None)
    warnings = (f"malformed feed: {parsed.get('bozo_exception')}",) if parsed.get("bozo") else ()
    if not entries:
        raise FeedError(_why_empty(body, parsed, url))
    return FeedDocument(title=str(parsed.feed.get("title", "")), entries=entries, warnings=warnings)


def _entry(raw: Any) -> FeedEntry | None:
    link = _text(raw.get("link"))
    guid = _text(raw.get("id"))
    if not link and not guid:
        return None
    return FeedEntry(
        key=article_key(link=link, guid=guid),
        link=link,
        guid=guid,
        title=_text(raw.get("title")) or "",
        summary_html=_text(raw.get("summary")) or "",
        published=_published(raw),
    )


def _published(raw: Any) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = raw.get(field)
        if moment:
            return datetime.fromtimestamp(calendar.timegm(moment), UTC)
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _why_empty(body: bytes, parsed: Any, url: str) -> str:
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return f"feeds: {url} answered an HTML page, not a feed (has the feed moved?)"
    if parsed.get("bozo"):
        return f"feeds: {url} is not a readable feed: {parsed.get('bozo_exception')}"
    return f"feeds: {url} has no items"
