"""`khabardar search QUERY` and the status page's search box: the topic query language over the archive, with the
production matcher behind the backtest's prefilter (an article that lacks every word of the query is not matched).

A search given a deadline stops reading there (SearchTimeout), so a caller that gave up waiting frees its thread."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from worker.archive.db import ArchiveError
from worker.archive.prefilter import Prefilter
from worker.archive.store import ArchivedArticle
from worker.config.models import EntityConfig, WatchlistConfig
from worker.match import Matcher, Span, parse_query
from worker.match.compile import compile_watchlists

_SEARCH = "search"


class SearchTimeout(ArchiveError):
    """The search reached its deadline and stopped reading; ``read`` articles were read by then."""

    def __init__(self, read: int) -> None:
        super().__init__(f"search: stopped at its deadline after reading {read} articles; narrow the search")
        self.read = read


@dataclass(frozen=True)
class Hit:
    article: ArchivedArticle
    spans: tuple[Span, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.article.url,
            "title": self.article.title,
            "outlet": self.article.outlet,
            "published": self.article.when.isoformat(),
            "spans": [span.to_json() for span in self.spans],
        }


def search(articles: Iterable[ArchivedArticle], query: str, *, deadline: float | None = None) -> Iterator[Hit]:
    """The articles that ``query`` matches, in the order given; QuerySyntaxError (with its column) at once.

    ``deadline`` is a ``time.monotonic()`` reading: past it, reading the next article raises SearchTimeout.
    """
    parse_query(query)  # the parser's own error, naming the column, before any article is read
    entity = EntityConfig(id="query", kind="topic", query=query)
    compiled = compile_watchlists([WatchlistConfig(name=_SEARCH, channels=[_SEARCH], entities=[entity])])
    return _hits(articles, Matcher(compiled), Prefilter(compiled), deadline)


def _hits(
    articles: Iterable[ArchivedArticle], matcher: Matcher, prefilter: Prefilter, deadline: float | None
) -> Iterator[Hit]:
    # Checked as each article arrives, before the prefilter skips most of them: between two checks lie at most one
    # match and one database round trip of STREAM_BATCH_ROWS rows (no query sorts the whole window first, see
    # worker.archive.store), so the search ends shortly after its deadline and needs no watcher of its own.
    for read, article in enumerate(articles):
        if deadline is not None and time.monotonic() >= deadline:
            raise SearchTimeout(read)
        if not prefilter.may_match(article.title, article.text):
            continue
        found = matcher.match(article.title, article.text)
        if found:
            yield Hit(article, found[0].spans)
