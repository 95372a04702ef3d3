"""Matched words marked in a title or snippet: the text escaped, only our own ``<mark>`` left as markup."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from worker.match import Matcher


def marked(text: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """``text`` escaped, each non-overlapping ``(start, end)`` span wrapped in ``<mark>``."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at or end > len(text) or start >= end:
            continue
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def highlight(matcher: Matcher, watchlist: str, title: str, snippet: str) -> tuple[Markup, Markup]:
    """The title and snippet with the words this watch-list's entities matched marked."""
    found = [m for m in matcher.match(title, snippet) if m.watchlist == watchlist]
    spans = [span for match in found for span in match.spans]
    return (
        marked(title, ((s.start, s.end) for s in spans if s.field == "title")),
        marked(snippet, ((s.start, s.end) for s in spans if s.field == "text")),
    )
