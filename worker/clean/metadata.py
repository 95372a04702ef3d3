"""Article metadata from the page head, JSON-LD and markup: title, times, canonical URL, author, image, language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from urllib.parse import urljoin, urlsplit

import htmldate
from lxml.html import HtmlElement

from worker.clean import jsonld
from worker.clean.dates import parse_date
from worker.clean.text import devanagari_share, squash
from worker.clean.title import clean_title

PUBLISHED_KEYS = (
    "article:published_time",
    "article:published_date",
    "og:published_time",
    "published_time",
    "publish-date",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "sailthru.date",
    "parsely-pub-date",
)
UPDATED_KEYS = ("article:modified_time", "article:modified_date", "og:updated_time", "modified_time", "lastmod")
DATE_CLASS_XPATH = (
    ".//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'publish')"
    " or contains(@id, 'date')][not(*[3])]"
)
DATE_CANDIDATES_MAX = 20
HINDI_SHARE_MIN = 0.5
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class PageMeta:
    title: str
    published: datetime | None
    updated: datetime | None
    canonical_url: str | None
    author: str | None
    language: str | None
    image: str | None
    site_name: str | None


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lower-cased property/name/itemprop, first occurrence wins."""
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content.strip())
    return tags


def page_meta(tree: HtmlElement, url: str | None, title_suffixes: tuple[str, ...]) -> PageMeta:
    tags = meta_tags(tree)
    node = jsonld.article_node(tree)
    site_name = tags.get("og:site_name") or jsonld.text_of(node.get("publisher"))
    return PageMeta(
        title=_title(tree, tags, node, site_name, title_suffixes),
        published=_published(tree, tags, node),
        updated=_first_date([jsonld.text_of(node.get("dateModified")), *(tags.get(k) for k in UPDATED_KEYS)]),
        canonical_url=canonical_url(tree, url, tags),
        author=_author(tags, node),
        language=_language(tree, tags, node),
        image=_image(tags, node, url),
        site_name=squash(site_name) if site_name else None,
    )


def _title(
    tree: HtmlElement, tags: dict[str, str], node: dict[str, Any], site_name: str | None, suffixes: tuple[str, ...]
) -> str:
    heading = next((squash(h.text_content()) for h in tree.iter("h1") if squash(h.text_content())), "")
    candidates = [tags.get("og:title"), jsonld.text_of(node.get("headline")), tags.get("twitter:title")]
    candidates += [heading, tree.findtext(".//title")]
    for candidate in candidates:
        if candidate and squash(candidate):
            return clean_title(squash(candidate), heading=heading, site_name=site_name, suffixes=suffixes)
    return ""


def _published(tree: HtmlElement, tags: dict[str, str], node: dict[str, Any]) -> datetime | None:
    found = _first_date([jsonld.text_of(node.get("datePublished")), *(tags.get(k) for k in PUBLISHED_KEYS)])
    return found or _first_date(_visible_dates(tree)) or _htmldate(tree)


def _htmldate(tree: HtmlElement) -> datetime | None:
    """htmldate's reading of the page, when it names a time of day too.

    A bare day would come back as midnight, and downstream that would override the feed's exact time.
    """
    try:
        found = htmldate.find_date(tree, extensive_search=False, original_date=True, outputformat=HTMLDATE_FORMAT)
    except (ValueError, TypeError):
        return None
    moment = parse_date(found) if found else None
    return moment if moment is not None and moment.timetz().replace(tzinfo=None) != time() else None


def _visible_dates(tree: HtmlElement) -> list[str | None]:
    values: list[str | None] = [time.get("datetime") for time in tree.iter("time")]
    values += [squash(el.text_content()) for el in tree.xpath(DATE_CLASS_XPATH)[:DATE_CANDIDATES_MAX]]
    return values


def _first_date(values: list[str | None]) -> datetime | None:
    return next((moment for moment in (parse_date(v) for v in values if v) if moment is not None), None)


def canonical_url(tree: HtmlElement, url: str | None, tags: dict[str, str] | None = None) -> str | None:
    """The page's canonical URL (``<link rel=canonical>``, else ``og:url``), absolute against ``url``."""
    tags = meta_tags(tree) if tags is None else tags
    link = next((el.get("href") for el in tree.iter("link") if (el.get("rel") or "").lower() == "canonical"), None)
    found = link or tags.get("og:url")
    return _absolute(found.strip(), url) if found and found.strip() else None


def _author(tags: dict[str, str], node: dict[str, Any]) -> str | None:
    names = jsonld.names_of(node.get("author"))
    if names:
        return ", ".join(dict.fromkeys(names))
    author = tags.get("author") or tags.get("article:author")
    return squash(author) if author and not author.startswith("http") else None


def _language(tree: HtmlElement, tags: dict[str, str], node: dict[str, Any]) -> str | None:
    declared = (
        tree.get("lang")
        or tags.get("content-language")
        or tags.get("og:locale")
        or tags.get("lang")
        or jsonld.text_of(node.get("inLanguage"))
    )
    if declared:
        return declared.replace("_", "-").split("-")[0].strip().lower() or None
    return "hi" if devanagari_share(tree.findtext(".//title") or "") >= HINDI_SHARE_MIN else None


def _image(tags: dict[str, str], node: dict[str, Any], url: str | None) -> str | None:
    for value in (tags.get("og:image"), tags.get("twitter:image"), jsonld.text_of(node.get("image"))):
        if value and urlsplit(_absolute(value, url)).path.strip("/"):
            return _absolute(value.strip(), url)
    return None  # an og:image that is the site's home page (Business Standard does this) is no image


def _absolute(link: str, base: str | None) -> str:
    return urljoin(base, link) if base else link
