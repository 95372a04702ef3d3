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
    lines: list[str] = []
    current: list[str] = []
    for kind, text in _events(container):
        if kind == "text":
            current.append(text)
        elif current:
            lines.append(squash("".join(current)))
            current = []
    if current:
        lines.append(squash("".join(current)))
    return [line for line in lines if line]


def _events(element: HtmlElement) -> Iterator[tuple[str, str]]:
    """A flat stream of ("text", ...) and ("break", "") in document order, without recursion."""
    walker = lxml.etree.iterwalk(element, events=("start", "end"))
    for action, node in walker:
        tag = node.tag if isinstance(node.tag, str) else None
        if action == "start":
            if tag is None or tag in SKIP_TAGS:
                walker.skip_subtree()  # comments and scripts: only their tail is page text
                continue
            if tag in BLOCK_TAGS or tag == "br":
                yield ("break", "")
            if node.text:
                yield ("text", node.text)
            continue
        if tag in BLOCK_TAGS:
            yield ("break", "")
        if node.tail and node is not element:
            yield ("text", node.tail)


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
