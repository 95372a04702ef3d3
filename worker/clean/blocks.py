"""Paragraphs of an HTML container the way a browser lays them out: one per block element or ``<br>``-run."""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree
from lxml.html import HtmlElement

from worker.clean.text import DEVANAGARI, squash

BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "dd",
        "dt",
        "dl",
        "header",
        "main",
        "figure",
        "pre",
    }
)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option"})
# The density fallback looks for the element whose direct <p>/<br> text is largest; shorter bodies are not one.
DENSE_BODY_MIN_CHARS = 200


def paragraphs(container: HtmlElement) -> list[str]:
    """The container's text as paragraphs: block elements and line breaks end a paragraph."""
    return [text for _, text in lines(container)]


def lines(container: HtmlElement) -> list[tuple[str, str]]:
    """The container's paragraphs, each with the tag of the innermost block it sits in (``h2``, ``li``, ``p``...)."""
    found: list[tuple[str, str]] = []
    current: list[str] = []
    block = ""
    for kind, value, inner in _events(container):
        if kind == "text":
            if not current:
                block = inner
            current.append(value)
        elif current:
            found.append((block, squash("".join(current))))
            current = []
    if current:
        found.append((block, squash("".join(current))))
    return [(tag, text) for tag, text in found if text]


def _events(element: HtmlElement) -> Iterator[tuple[str, str, str]]:
    """A flat stream of ("text", text, block) and ("break", "", block) in document order, without recursion."""
    walker = lxml.etree.iterwalk(element, events=("start", "end"))
    open_blocks: list[str] = [""]
    for action, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None
        if action == "start":
            if tag is None or tag in SKIP_TAGS:
                walker.skip_subtree()  # comments and scripts: only their tail is page text
                continue
            if tag in BLOCK_TAGS or tag == "br":
                yield ("break", "", open_blocks[-1])
            if tag in BLOCK_TAGS:
                open_blocks.append(tag)
            if node.text:
                yield ("text", node.text, open_blocks[-1])
            continue
        if tag in BLOCK_TAGS:
            yield ("break", "", open_blocks[-1])
            open_blocks.pop()
        if node.tail and node is not element:
            yield ("text", node.tail, open_blocks[-1])


def densest_container(tree: HtmlElement) -> HtmlElement | None:
    """The element whose own paragraphs (direct <p> children) hold the most Devanagari text, or None."""
    scores: dict[HtmlElement, int] = {}
    for paragraph in tree.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(DEVANAGARI.findall(paragraph.text_content()))
    if not scores:
        return None
    best = max(scores, key=lambda element: scores[element])
    return best if scores[best] >= DENSE_BODY_MIN_CHARS else None
