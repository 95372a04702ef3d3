"""Turn fetched feed bytes into entries. feedparser only parses here: it never fetches or opens anything itself.

The bytes pass three gates first: they are made valid UTF-8 (:mod:`worker.feeds.encoding`), their DOCTYPE is cut
out (:mod:`worker.feeds.xmlsafety`), and an HTML page is told apart from a feed. A feed that is malformed but
still yields entries is used, with warnings that say what was wrong.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from worker.errors import FeedError
from worker.feeds.dates import parse_date
from worker.feeds.encoding import html_entities_to_refs, to_utf8
from worker.feeds.links import article_key
from worker.feeds.xmlsafety import defuse, looks_like_html, scan_prolog
from worker.http.client import safe_url

MAX_ENTRIES = 500  # a feed with more items than this is a listing page gone wrong, not news
FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_FEED_TYPES = ("image/", "audio/", "video/", "application/pdf", "application/zip", "application/json")
DATE_FIELDS = ("published", "updated", "created", "dc_date", "pubdate")
UTF8_XML = "application/xml; charset=utf-8"
SECONDS_PER_MINUTE = 60


class NotAFeedError(FeedError):
    """The document is something else (an HTML page, an image, JSON): the feed has moved or broken."""


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
    ttl_s: float | None = None  # the feed's own <ttl>: how long it asks readers to wait between polls


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> FeedDocument:
    """Parse RSS/Atom bytes; raise :class:`FeedError` (:class:`NotAFeedError`) when nothing usable is in them."""
    _refuse_media(content_type, url)
    data, warnings = to_utf8(body, content_type)
    root = _root(data, url)
    warnings += _kind_warnings(root, content_type)
    data, defused = defuse(data)
    parsed = feedparser.parse(
        io.BytesIO(html_entities_to_refs(data)),  # bytes would be taken for a file name, a str for a URL
        response_headers={"content-type": UTF8_XML},
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    warnings += defused + _malformed(parsed)
    entries = tuple(entry for entry in (_entry(raw, url) for raw in parsed.entries[:MAX_ENTRIES]) if entry)
    if not entries:
        raise _empty(parsed, root, url)
    return FeedDocument(str(parsed.feed.get("title", "")).strip(), entries, warnings, _ttl_s(parsed.feed))


def _refuse_media(content_type: str | None, url: str) -> None:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind.startswith(NOT_FEED_TYPES):
        raise NotAFeedError(f"feeds: {safe_url(url)} answered {kind}, not a feed (has the feed moved?)")


def _root(data: bytes, url: str) -> str | None:
    """The root element's name; :class:`NotAFeedError` for an HTML page."""
    root = scan_prolog(data).root
    if root == "html" or (root is None and looks_like_html(data)):
        raise NotAFeedError(f"feeds: {safe_url(url)} answered an HTML page, not a feed (has the feed moved?)")
    return root


def _kind_warnings(root: str | None, content_type: str | None) -> tuple[str, ...]:
    if root is not None and root not in FEED_ROOTS:
        return (f"the document's root element is <{root}>, not rss, feed or rdf",)
    served_as_html = (content_type or "").split(";")[0].strip().lower() in HTML_TYPES
    return ("served as text/html though it is a feed",) if served_as_html else ()


def _malformed(parsed: Any) -> tuple[str, ...]:
    if not parsed.get("bozo"):
        return ()
    problem = parsed.get("bozo_exception")
    return (f"malformed feed ({type(problem).__name__}: {problem}); read leniently",)


def _entry(raw: Any, feed_url: str) -> FeedEntry | None:
    link = _link(_text(raw.get("link")), feed_url)
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


def _link(link: str | None, feed_url: str) -> str | None:
    """Absolute http(s) links only: relative ones are resolved, javascript: and the like are dropped."""
    if not link:
        return None
    absolute = urljoin(feed_url, link)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _published(raw: Any) -> datetime | None:
    """Our own reading first (it knows IST and Hindi months), feedparser's as the fallback."""
    for name in DATE_FIELDS:
        moment = parse_date(_text(raw.get(name)))
        if moment is not None:
            return moment
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = raw.get(name)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _ttl_s(feed: Any) -> float | None:
    text = _text(feed.get("ttl"))
    return float(text) * SECONDS_PER_MINUTE if text and text.isdigit() and int(text) > 0 else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _empty(parsed: Any, root: str | None, url: str) -> FeedError:
    if root is not None and root not in FEED_ROOTS:
        return NotAFeedError(f"feeds: {safe_url(url)} answered a <{root}> document, not a feed (has the feed moved?)")
    if parsed.get("bozo") and not parsed.feed:
        return FeedError(f"feeds: {safe_url(url)} is not a readable feed: {parsed.get('bozo_exception')}")
    return FeedError(f"feeds: {safe_url(url)} has no items")
