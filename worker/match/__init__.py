"""Hindi-aware matching of articles against watch-lists (PRODUCT.md "Matching semantics").

``Matcher.from_watchlists(config.watchlists)`` compiles every name of every watch-list into one automaton;
``matcher.match(title, text)`` returns one ``EntityMatch`` per entity with a counted mention, with spans into
the original strings; ``explain(match, title, text)`` renders a match for an editor.
"""

from worker.match.explain import explain
from worker.match.matcher import Matcher
from worker.match.model import EntityMatch, Span
from worker.query import QuerySyntaxError, parse_query

__all__ = ["EntityMatch", "Matcher", "QuerySyntaxError", "Span", "explain", "parse_query"]
