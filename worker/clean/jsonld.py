"""The article node of a page's JSON-LD (schema.org NewsArticle and kin), read leniently."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "blogposting",
        "liveblogposting",
        "webpage",
    }
)
# Nested nodes are walked this deep at most: pages nest @graph and mainEntity a few levels, never more.
NODE_DEPTH_MAX = 6
SCRIPT_MAX_CHARS = 500_000


def article_node(tree: HtmlElement) -> dict[str, Any]:
    """The most article-like JSON-LD node on the page (a NewsArticle beats a WebPage), or an empty dict."""
    best: dict[str, Any] = {}
    best_rank = len(ARTICLE_TYPES)
    for node in _nodes(tree):
        rank = _type_rank(node)
        if rank < best_rank:
            best, best_rank = node, rank
    return best


def _type_rank(node: dict[str, Any]) -> int:
    types = node.get("@type")
    names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    lowered = {str(name).lower() for name in names}
    if lowered & (ARTICLE_TYPES - {"webpage"}):
        return 0
    return 1 if "webpage" in lowered else len(ARTICLE_TYPES)


def _nodes(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        text = (script.text or "").strip()
        if not text or len(text) > SCRIPT_MAX_CHARS:
            continue
        try:
            yield from _walk(json.loads(text, strict=False), 0)
        except (ValueError, RecursionError):
            continue  # a broken block of one site's SEO plugin must not cost us the page


def _walk(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > NODE_DEPTH_MAX:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in value:
                yield from _walk(value[key], depth + 1)


def text_of(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a string, a list, or a node with ``name``/``url``/``@id``."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return next((text for text in (text_of(item) for item in value) if text), None)
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("url") or value.get("@id"))
    return None


def names_of(value: Any) -> list[str]:
    """Every name in a JSON-LD person/organization value (``author`` is often a list of nodes)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(" ".join(name.split()))
    return names
