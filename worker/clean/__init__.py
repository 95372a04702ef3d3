"""Article cleaning: page bytes → a :class:`CleanArticle` (body without boilerplate, and its metadata).

``decode_html`` turns bytes into text, ``clean_html`` extracts the article, ``clean_feed_entry`` makes an article
of a feed item when its page cannot be fetched, and ``drop_boilerplate_lines`` cleans any text of site chrome.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from lxml.html import HtmlElement

from worker.clean.article import CleanArticle
from worker.clean.boilerplate import drop_boilerplate_lines, filter_paragraphs, is_boilerplate
from worker.clean.dateline import dateline_of
from worker.clean.encoding import decode_html, without_controls
from worker.clean.extract import best_body, summary_paragraphs
from worker.clean.metadata import PageMeta, canonical_url, page_meta
from worker.clean.profiles import Profile, host_of, profile_for
from worker.clean.text import devanagari_share, join_paragraphs
from worker.clean.title import clean_headline
from worker.clean.tree import PAGE_MAX_CHARS, parse_html
from worker.config.models import SiteProfile
from worker.errors import CleanError
from worker.http.client import PAGE_MAX_BYTES

__all__ = [
    "PAGE_MAX_BYTES",
    "PAGE_MAX_CHARS",
    "TEXT_MAX_CHARS",
    "CleanArticle",
    "clean_feed_entry",
    "clean_headline",
    "clean_html",
    "decode_html",
    "drop_boilerplate_lines",
    "is_boilerplate",
]

HINDI_TITLE_SHARE_MIN = 0.5
# The longest Hindi news stories run to some 30,000 characters; more is a page dump, and matching it costs time.
TEXT_MAX_CHARS = 100_000


def clean_html(
    html: str | bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    sites: Mapping[str, SiteProfile] | None = None,
    feed_summary_html: str | None = None,
) -> CleanArticle:
    """The article in ``html`` (bytes are decoded as :func:`decode_html` says); CleanError when there is none.

    ``sites`` are the user's site profiles (config ``sites:``); ``feed_summary_html`` is the feed item's summary,
    used as the body (``extracted_by="feed"``) when nothing on the page passes the quality gate.
    """
    if isinstance(html, bytes):
        text = decode_html(html[:PAGE_MAX_BYTES], content_type)
    else:
        text = without_controls(html[:PAGE_MAX_CHARS])
    page = parse_html(text)
    host = host_of(url) or host_of(canonical_url(page, url))
    profile = profile_for(host, sites)
    meta = page_meta(page, url, profile.title_suffix)
    return _article(page, meta, profile, url=url or meta.canonical_url or "", host=host, summary=feed_summary_html)


def _article(
    page: HtmlElement, meta: PageMeta, profile: Profile, *, url: str, host: str | None, summary: str | None
) -> CleanArticle:
    hindi = meta.language == "hi" or devanagari_share(meta.title) >= HINDI_TITLE_SHARE_MIN
    summary = without_controls(summary) if summary else None
    body = best_body(page, profile, title=meta.title, hindi=hindi, feed_summary_html=summary)
    if body is None:
        raise CleanError(f"clean: no article text found in {url or 'the page'}")
    dateline = dateline_of(body.paragraphs)
    return CleanArticle(
        url=url,
        title=meta.title,
        text=_capped(join_paragraphs(body.paragraphs)),
        published=meta.published,
        source=meta.site_name or profile.name or host or "",
        canonical_url=meta.canonical_url,
        updated=meta.updated,
        author=meta.author,
        agency=dateline.agency,
        dateline=dateline.place,
        language=meta.language or ("hi" if hindi else None),
        image=meta.image,
        extracted_by=body.extracted_by,
    )


def _capped(text: str) -> str:
    """``text`` cut to TEXT_MAX_CHARS at the last paragraph break before the limit (or at the limit)."""
    if len(text) <= TEXT_MAX_CHARS:
        return text
    cut = text.rfind("\n\n", 0, TEXT_MAX_CHARS)
    return text[: cut if cut > 0 else TEXT_MAX_CHARS]


def clean_feed_entry(
    *, url: str, title: str, summary_html: str, published: datetime | None, source: str
) -> CleanArticle:
    """An article made of a feed item's own title and summary (``extracted_by="feed"``), boilerplate removed."""
    clean_title = clean_headline(without_controls(title))
    paragraphs = filter_paragraphs(summary_paragraphs(without_controls(summary_html)), title=clean_title)
    text = _capped(join_paragraphs(paragraphs))
    dateline = dateline_of(paragraphs)
    return CleanArticle(
        url=url,
        title=clean_title,
        text=text,
        published=published,
        source=source or host_of(url) or "",
        agency=dateline.agency,
        dateline=dateline.place,
        language="hi" if devanagari_share(f"{clean_title} {text}") >= HINDI_TITLE_SHARE_MIN else None,
        extracted_by="feed",
    )
