"""Body candidates, best first: the site profile's container, trafilatura, JSON-LD ``articleBody``, text density.

The first candidate that passes the quality gate (long enough and, on a Hindi page, mostly Devanagari) wins, and
the article records which one it was; when none passes, the longest is used so a short brief is not lost.
"""

from __future__ import annotations

import html as html_entities
import logging
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement

from worker.clean import blocks, jsonld, tree
from worker.clean.boilerplate import filter_paragraphs
from worker.clean.profiles import Profile
from worker.clean.text import comparable, devanagari_share, split_paragraphs
from worker.errors import CleanError

log = logging.getLogger(__name__)

BODY_MIN_CHARS = 250
HINDI_BODY_SHARE_MIN = 0.6
# trafilatura's paragraphs are read back from the page only when this share of their text is found there.
ALIGNED_SHARE_MIN = 0.9
# Lines the page shows inside the story that trafilatura leaves out: subheadings and list items.
STRUCTURE_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "li"})
# ...and <p> lines trafilatura skipped that read like the story: a Hindi sentence at least this long.
STORY_LINE_MIN_WORDS = 12
STORY_LINE_ENDS = ("।", ".", "?", "!", '"', "'", "”", "’", "॥")
# A long report has a hundred paragraphs; past this many a page is a dump, and filtering it costs seconds.
PARAGRAPHS_MAX = 2000
# JSON-LD's articleBody replaces a body it contains when it is this much longer (a paywall teaser on the page).
FULLER_JSONLD_RATIO = 1.5
FULLER_JSONLD_COVER_MIN = 0.9
# Below this even the best candidate is not an article: the caller falls back to the feed's text.
BODY_FALLBACK_MIN_CHARS = 40


@dataclass(frozen=True)
class Body:
    paragraphs: list[str]
    extracted_by: str

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def best_body(
    page: HtmlElement, profile: Profile, *, title: str, hindi: bool, feed_summary_html: str | None = None
) -> Body | None:
    """The first candidate body that passes the quality gate, else the longest usable one, else None.

    The feed's summary, when given, is the last candidate: a page whose story none of the extractors finds
    (a video page, a JavaScript shell) still gets the publisher's own summary rather than its chrome.
    """
    seen: list[Body] = []
    for body in _candidates(page, profile, title, feed_summary_html):
        if _passes(body, hindi):
            return _fuller_jsonld(page, body, profile, title) if body.extracted_by != "jsonld" else body
        seen.append(body)
    longest = max(seen, key=lambda body: body.chars, default=None)
    return longest if longest is not None and longest.chars >= BODY_FALLBACK_MIN_CHARS else None


def _fuller_jsonld(page: HtmlElement, body: Body, profile: Profile, title: str) -> Body:
    """The JSON-LD ``articleBody`` instead of ``body`` when it holds all of it and much more.

    Paywalled stories show a teaser on the page while the structured data carries the whole text, and a
    missed paragraph is a missed alert.
    """
    fuller = filter_paragraphs(_from_jsonld(page), extra=profile.drop_lines, title=title)
    if sum(map(len, fuller)) < FULLER_JSONLD_RATIO * body.chars:
        return body
    structured = set(" ".join(fuller).split())
    words = " ".join(body.paragraphs).split()
    covered = sum(1 for word in words if word in structured)
    return Body(fuller, "jsonld") if covered >= FULLER_JSONLD_COVER_MIN * len(words) else body


def _passes(body: Body, hindi: bool) -> bool:
    if body.chars < BODY_MIN_CHARS:
        return False
    return not hindi or devanagari_share(" ".join(body.paragraphs)) >= HINDI_BODY_SHARE_MIN


def _candidates(page: HtmlElement, profile: Profile, title: str, feed_summary_html: str | None) -> Iterator[Body]:
    pruned = deepcopy(page)
    tree.drop(pruned, profile.drop)
    tree.drop_image_captions(pruned)
    sources: list[tuple[str, Callable[[], list[str]]]] = [
        ("profile", lambda: _from_containers(pruned, profile)),
        ("trafilatura", lambda: _from_trafilatura(pruned, title)),
        ("jsonld", lambda: _from_jsonld(page)),
        ("density", lambda: _from_density(pruned)),
    ]
    if feed_summary_html:
        sources.append(("feed", lambda: summary_paragraphs(feed_summary_html)))
    for name, extract in sources:
        paragraphs = filter_paragraphs(extract()[:PARAGRAPHS_MAX], extra=profile.drop_lines, title=title)
        if paragraphs:
            yield Body(paragraphs, name)


def summary_paragraphs(summary_html: str) -> list[str]:
    """The paragraphs of a feed item's summary, which may be plain text or an HTML fragment."""
    if "<" not in summary_html:
        return split_paragraphs(html_entities.unescape(summary_html))
    try:
        fragment = tree.parse_html(f"<html><body><div>{summary_html}</div></body></html>")
    except CleanError:
        return []
    body = fragment.find("body")
    return blocks.paragraphs(body) if body is not None else []


def _from_containers(page: HtmlElement, profile: Profile) -> list[str]:
    # The first selector that finds anything decides: later ones describe older layouts of the same site.
    containers = next((found for found in (tree.select(page, s) for s in profile.keep) if found), [])
    paragraphs: list[str] = []
    for container in containers:
        tree.drop_chrome_blocks(container)
        paragraphs.extend(blocks.paragraphs(container))
    return paragraphs


def _from_trafilatura(page: HtmlElement, title: str) -> list[str]:
    """trafilatura's paragraphs, put back into the page's own lines where they can be found there.

    trafilatura finds the story well but drops its subheadings and lists and strips joiners (ZWJ) that the
    publisher wrote; the page's own lines between the first and the last of trafilatura's paragraphs give
    those back.
    """
    try:
        document = trafilatura.bare_extraction(
            page, include_comments=False, include_tables=False, include_images=False, with_metadata=False
        )
    except Exception:  # a bug of the library on one odd page must not cost the article: the next source is tried
        log.exception("clean: trafilatura failed on a page; trying the other sources")
        return []
    text = getattr(document, "text", None)  # trafilatura's own plain-text rendering of the body it found
    if not text:
        return []
    found = [line.removeprefix("- ") for line in split_paragraphs(text)]
    page_body = page.find("body")
    aligned = _aligned(found, blocks.lines(page_body), title) if page_body is not None else None
    return aligned or found


def _aligned(found: list[str], page_lines: list[tuple[str, str]], title: str) -> list[str] | None:
    """The page's lines from the first to the last of ``found``: those in ``found``, and headings and list items.

    None when too little of ``found`` can be located on the page (trafilatura joined or split lines its own way).
    """
    wanted = {comparable(line) for line in found} - {comparable(title), ""}
    located = [i for i, (_, text) in enumerate(page_lines) if comparable(text) in wanted]
    located_keys = {comparable(page_lines[i][1]) for i in located}
    if not located or sum(map(len, located_keys)) < ALIGNED_SHARE_MIN * sum(map(len, wanted)):
        return None
    span = page_lines[located[0] : located[-1] + 1]
    return [text for tag, text in span if comparable(text) in wanted or tag in STRUCTURE_TAGS or _is_story(tag, text)]


def _is_story(tag: str, text: str) -> bool:
    """A paragraph between two of trafilatura's that reads like the story: a long Hindi sentence in a <p>."""
    return (
        tag == "p"
        and len(text.split()) >= STORY_LINE_MIN_WORDS
        and text.rstrip().endswith(STORY_LINE_ENDS)
        and devanagari_share(text) >= HINDI_BODY_SHARE_MIN
    )


def _from_jsonld(page: HtmlElement) -> list[str]:
    text = jsonld.text_of(jsonld.article_node(page).get("articleBody"))
    if not text:
        return []
    # articleBody is plain text by schema, but sites put HTML in it, often entity-escaped: read it as a fragment
    return summary_paragraphs(html_entities.unescape(text))


def _from_density(page: HtmlElement) -> list[str]:
    container = blocks.densest_container(page)
    if container is None:
        return []
    tree.drop_chrome_blocks(container)
    return blocks.paragraphs(container)
