"""`khabardar search QUERY` and the status page's search box: the topic query language over the archive, with the
production matcher behind the backtest's prefilter (an article that lacks every word of the query is not matched)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from worker.archive.prefilter import Prefilter
from worker.archive.store import ArchivedArticle
from worker.config.models import EntityConfig, WatchlistConfig
from worker.match import Matcher, Span, parse_query
from worker.match.compile import compile_watchlists

_SEARCH = "search"


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


def search(articles: Iterable[ArchivedArticle], query: str) -> Iterator[Hit]:
    """The articles that ``query`` matches, in the order given; QuerySyntaxError (with its column) at once."""
    parse_query(query)  # the parser's own error, naming the column, before any article is read
    entity = EntityConfig(id="query", kind="topic", query=query)
    compiled = compile_watchlists([WatchlistConfig(name=_SEARCH, channels=[_SEARCH], entities=[entity])])
    return _hits(articles, Matcher(compiled), Prefilter(compiled))


def _hits(articles: Iterable[ArchivedArticle], matcher: Matcher, prefilter: Prefilter) -> Iterator[Hit]:
    for article in articles:
        if not prefilter.may_match(article.title, article.text):
            continue
        found = matcher.match(article.title, article.text)
        if found:
            yield Hit(article, found[0].spans)
