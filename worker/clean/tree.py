"""Parse a page into an lxml tree within fixed bounds, and cut site chrome out of it.

Bounds: the input is cut at ``PAGE_MAX_CHARS`` (an article is in the first two megabytes of any page we have
seen), and libxml2's HTML parser stops nesting at depth 256 unless asked for a huge tree, which we never do: a
page of endless nested divs parses to a shallow tree, so no recursive walk over it can exhaust the stack.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache

import lxml.etree
import lxml.html
from cssselect import ExpressionError, SelectorError
from lxml.cssselect import LxmlTranslator
from lxml.html import HtmlElement

from worker.errors import CleanError
from worker.http.client import PAGE_MAX_BYTES

log = logging.getLogger(__name__)

PAGE_MAX_CHARS = PAGE_MAX_BYTES
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Class and id tokens of blocks that are never the article: related links, share bars, tag clouds, ads.
CHROME_TOKEN = re.compile(
    r"^(?:also-?read|read-?also|next-?read|related|relative\w*|recommended|trending|share|sharing|social|tags?|tag-?list|keywords?|"
    r"breadcrumbs?|advert\w*|ads?|ad-?slot|adsbygoogle|promo|newsletter|app-?(?:promo|download|banner)|"
    r"taboola\w*|outbrain\w*|comments?|disqus\w*|subscribe\w*|author-?box|byline)(?:[-_].*)?$",
    re.IGNORECASE,
)
ALWAYS_DROP = ("script", "style", "noscript", "iframe", "form", "button", "nav", "footer", "aside", "figcaption", "svg")
CONTAINER_TAGS = frozenset({"body", "article", "main", "section"})
CAPTION_TAGS = frozenset({"div", "span", "figcaption", "small"})
CAPTION_MAX_WORDS = 15
# A block holding this much paragraph text is article, whatever its class says (some sites call it "promo").
CHROME_TEXT_MAX_CHARS = 600


def parse_html(html: str) -> HtmlElement:
    """The page's tree; CleanError when there is no document to speak of."""
    text = XML_DECLARATION.sub("", html[:PAGE_MAX_CHARS], count=1)
    if not text.strip():
        raise CleanError("clean: the page is empty")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CleanError(f"clean: the page is not parseable HTML ({exc})") from exc
    if tree is None:
        raise CleanError("clean: the page is not parseable HTML")
    return tree


def select(tree: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching a CSS selector (a group "a, b" too), in document order, none nested inside another."""
    found = _compiled(selector)(tree)
    chosen = set(found)
    return [element for element in found if not any(a in chosen for a in element.iterancestors())]


def _compiled(selector: str) -> lxml.etree.XPath:
    # Compiled XPath objects are not shared between threads; translating CSS is the slow part, and that is cached.
    return lxml.etree.XPath(_xpath_of(selector))


@cache
def valid_selector(selector: str) -> bool:
    """Whether ``selector`` is CSS that can be used; a bad one from a user's profile is logged once and skipped."""
    try:
        _xpath_of(selector)
    except (SelectorError, ExpressionError) as exc:
        log.warning("clean: ignoring the CSS selector %r of a site profile: %s", selector, exc)
        return False
    return True


@cache
def _xpath_of(selector: str) -> str:
    return str(LxmlTranslator().css_to_xpath(selector))


def drop(tree: HtmlElement, selectors: Iterable[str]) -> None:
    """Remove the elements matching ``selectors`` and the tags that are never article text."""
    for selector in selectors:
        for element in _compiled(selector)(tree):
            _remove(element)
    for element in list(tree.iter(*ALWAYS_DROP)):
        _remove(element)


def drop_image_captions(tree: HtmlElement) -> None:
    """Remove the short line a site sets right under a picture (a <div>/<span>, not a <p>): its caption or credit."""
    for media in list(tree.iter("picture", "img")):
        caption = _wrapper_of(media).getnext()
        if caption is not None and _is_caption(caption):
            _remove(caption)


def _wrapper_of(media: HtmlElement) -> HtmlElement:
    """The outermost element around ``media`` that holds nothing but it (the picture's own box)."""
    wrapper = media
    parent = wrapper.getparent()
    while parent is not None and parent.tag not in CONTAINER_TAGS and not parent.text_content().strip():
        wrapper, parent = parent, parent.getparent()
    return wrapper


def _is_caption(element: HtmlElement) -> bool:
    if element.tag not in CAPTION_TAGS or element.find(".//p") is not None:
        return False
    words = len(element.text_content().split())
    return 0 < words <= CAPTION_MAX_WORDS


def drop_chrome_blocks(tree: HtmlElement) -> None:
    """Remove blocks whose class or id says related/share/tags/ads, unless they hold article-sized text."""
    for element in list(tree.iter(lxml.etree.Element)):
        if _looks_like_chrome(element) and _paragraph_chars(element) < CHROME_TEXT_MAX_CHARS:
            _remove(element)


def _looks_like_chrome(element: HtmlElement) -> bool:
    if element.tag in ("html", "body"):
        return False
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return any(CHROME_TOKEN.match(name) for name in names)


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))


def _remove(element: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (lxml stores it on the element as ``tail``)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
