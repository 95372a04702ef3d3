"""The status page's search box: the archive's ``search`` (the topic query language), newest first, for a person.

Every string on the page is escaped by the template; only our own ``<mark>`` around the matched words is markup.
A query that does not parse shows where; an empty archive says so. ``days`` keeps the search to the last days
(the CLI's ``--days``, the same rule). The page shows the newest SEARCH_HITS_SHOWN hits and stops reading there,
and the search stops itself at SEARCH_TIMEOUT_S, so a huge archive can hold neither a request nor a thread.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from markupsafe import Markup

from worker.archive import Archive, ArchivedArticle
from worker.archive.search import Hit, SearchTimeout, search
from worker.archive.store import window_since
from worker.config.models import ARCHIVE_DAYS_MAX
from worker.errors import KhabardarError
from worker.match import QuerySyntaxError, Span
from worker.web.bounded import Bounded
from worker.web.highlight import marked
from worker.web.status import linkable

SEARCH_HITS_SHOWN = 50
SEARCH_TIMEOUT_S = 15.0  # the search stops reading here and the page says so
# The page waits this much longer for the search to stop by itself (one article's match, one round trip); past it
# the archive itself is stuck (a PostgreSQL lock held by a migration, say) and the page says that instead.
SEARCH_STOP_GRACE_S = 2.0
QUERY_MAX_CHARS = 500
SNIPPET_CONTEXT_CHARS = 90  # of the text shown on each side of the first matched words
DAYS_CHOICES = (1, 7, 30)  # offered in the form besides everything: the last 24 hours, week and month
DAYS_ALL = "all"
_DAYS_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() would take other scripts' digits too


@dataclass
class ParseError:
    message: str
    before: str  # the query up to the column where parsing failed,
    at: str  # the character there ("" at the end of the query),
    after: str  # and the rest


@dataclass
class SearchPage:
    query: str
    days: int | None = None  # the window searched: the last so many days, None for the whole archive
    hits: list[dict[str, Any]] = field(default_factory=list)
    more: bool = False  # there are hits past the ones shown
    read: int = 0  # articles read from the archive
    empty_archive: bool = False
    too_long: bool = False  # stopped at SEARCH_TIMEOUT_S
    timeout_s: float = SEARCH_TIMEOUT_S
    parse_error: ParseError | None = None
    error: str = ""


@dataclass(frozen=True)
class DayOption:
    value: str
    label: str
    selected: bool


def search_page(archive: Callable[[], Archive], query: str, bounded: Bounded, *, days: str = "") -> SearchPage:
    """The newest hits of ``query`` in the archive (its last ``days`` days: the form's text), or why there are none."""
    page = SearchPage(query, timeout_s=SEARCH_TIMEOUT_S)
    try:
        since = _window(page, days)
    except (ValueError, KhabardarError) as exc:
        page.error = str(exc)
        return page
    try:
        deadline = time.monotonic() + SEARCH_TIMEOUT_S  # from now: waiting for a free reader counts too
        wait_s = SEARCH_TIMEOUT_S + SEARCH_STOP_GRACE_S
        hits = bounded.call(lambda: _newest(archive(), query, since, deadline, page), wait_s)
    except QuerySyntaxError as exc:
        page.parse_error = _parse_error(query, exc)
    except SearchTimeout:
        page.too_long = True
    except KhabardarError as exc:
        page.error = str(exc)
    else:
        page.empty_archive = since is None and page.read == 0
        page.more = len(hits) > SEARCH_HITS_SHOWN
        page.hits = [_row(hit) for hit in hits[:SEARCH_HITS_SHOWN]]
    return page


def _window(page: SearchPage, days_text: str) -> datetime | None:
    """Where the archive is read from; ValueError or ArchiveError for what cannot be searched."""
    if len(page.query) > QUERY_MAX_CHARS:
        raise ValueError(f"the query is longer than {QUERY_MAX_CHARS} characters")
    days = days_chosen(days_text)
    since = window_since(days, datetime.now(UTC))
    page.days = days  # only a window that can be searched stays chosen in the form
    return since


def days_chosen(text: str) -> int | None:
    """The form's ``days``: None for the whole archive ("" or "all"), else a whole number; ValueError otherwise."""
    if text in ("", DAYS_ALL):
        return None
    if not _DAYS_NUMBER.fullmatch(text):
        raise ValueError(f"days: {text[:20]!r} is not a number of days from 1 to {ARCHIVE_DAYS_MAX}")
    return int(text)


def day_options(chosen: int | None, kept_days: int | None) -> list[DayOption]:
    """The form's choice of days: everything, and each of DAYS_CHOICES shorter than the archive keeps articles
    (a longer one would search the same); ``chosen`` selected, offered too when it is none of them."""
    kept = f" ({kept_days} days kept)" if kept_days else ""
    options = [DayOption(DAYS_ALL, f"सब · all{kept}", chosen is None)]
    shown = {days for days in DAYS_CHOICES if kept_days is None or days < kept_days}
    for days in sorted(shown | ({chosen} if chosen else set())):
        options.append(DayOption(str(days), _days_label(days), days == chosen))
    return options


def _days_label(days: int) -> str:
    return "पिछले 24 घंटे · last 24 hours" if days == 1 else f"पिछले {days} दिन · last {days} days"


def _newest(archive: Archive, query: str, since: datetime | None, deadline: float, page: SearchPage) -> list[Hit]:
    stream = archive.stream(since, newest_first=True)
    try:
        found = search(_counted(stream, page), query, deadline=deadline)  # parses the query before reading anything
        return list(islice(found, SEARCH_HITS_SHOWN + 1))
    finally:
        stream.close()  # its connection goes back now, not when the stream is collected: also after a timeout


def _counted(articles: Iterator[ArchivedArticle], page: SearchPage) -> Iterator[ArchivedArticle]:
    for article in articles:
        page.read += 1
        yield article


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
