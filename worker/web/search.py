"""The status page's search box: the archive's ``search`` (the topic query language), newest first, for a person.

Every string on the page is escaped by the template; only our own ``<mark>`` around the matched words is markup.
A query that does not parse shows where; an empty archive says so. The page shows the newest SEARCH_HITS_SHOWN
hits and stops reading there, and the search is given SEARCH_TIMEOUT_S, so a huge archive cannot hold a request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from markupsafe import Markup

from worker.archive import Archive
from worker.archive.search import Hit, search
from worker.errors import KhabardarError
from worker.match import QuerySyntaxError, Span
from worker.web.bounded import Bounded
from worker.web.highlight import marked
from worker.web.status import linkable

SEARCH_HITS_SHOWN = 50
SEARCH_TIMEOUT_S = 15.0
QUERY_MAX_CHARS = 500
SNIPPET_CONTEXT_CHARS = 90  # of the text shown on each side of the first matched words


@dataclass
class ParseError:
    message: str
    before: str  # the query up to the column where parsing failed,
    at: str  # the character there ("" at the end of the query),
    after: str  # and the rest


@dataclass
class SearchPage:
    query: str
    hits: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False  # there are hits past the ones shown
    empty_archive: bool = False
    parse_error: ParseError | None = None
    error: str = ""


def search_page(archive: Callable[[], Archive], query: str, bounded: Bounded) -> SearchPage:
    """The newest hits of ``query`` in the archive, or why there are none."""
    page = SearchPage(query)
    if len(query) > QUERY_MAX_CHARS:
        page.error = f"the query is longer than {QUERY_MAX_CHARS} characters"
        return page
    try:
        hits = bounded.call(lambda: _newest(archive(), query, page), SEARCH_TIMEOUT_S)
    except QuerySyntaxError as exc:
        page.parse_error = _parse_error(query, exc)
        return page
    except KhabardarError as exc:
        page.error = str(exc)
        return page
    page.more = len(hits) > SEARCH_HITS_SHOWN
    page.hits = [_row(hit) for hit in hits[:SEARCH_HITS_SHOWN]]
    return page


def _newest(archive: Archive, query: str, page: SearchPage) -> list[Hit]:
    found = search(archive.stream(newest_first=True), query)  # parses the query before reading anything
    if archive.count() == 0:
        page.empty_archive = True
        return []
    return list(islice(found, SEARCH_HITS_SHOWN + 1))


def _parse_error(query: str, exc: QuerySyntaxError) -> ParseError:
    at = max(0, min(exc.column - 1, len(query)))
    return ParseError(str(exc), query[:at], query[at : at + 1], query[at + 1 :])


def _row(hit: Hit) -> dict[str, Any]:
    article = hit.article
    return {
        "when": article.when.strftime("%Y-%m-%d %H:%M UTC"),
        "outlet": article.outlet,
        "url": linkable(article.url),
        "title": marked(article.title, [(s.start, s.end) for s in hit.spans if s.field == "title"]),
        "snippet": _snippet(article.text, [s for s in hit.spans if s.field == "text"]),
    }


def _snippet(text: str, spans: Sequence[Span]) -> Markup:
    """The stretch of text around the first matched words, those in it marked."""
    if not spans:
        return marked(" ".join(text[: 2 * SNIPPET_CONTEXT_CHARS].split()), [])
    first = min(spans, key=lambda span: span.start)
    start = max(0, first.start - SNIPPET_CONTEXT_CHARS)
    end = min(len(text), first.end + SNIPPET_CONTEXT_CHARS)
    inside = [(s.start - start, s.end - start) for s in spans if s.start >= start and s.end <= end]
    body = marked(text[start:end], inside)
    return Markup("").join(
        [Markup("… ") if start else Markup(""), body, Markup(" …") if end < len(text) else Markup("")]
    )
