"""`khabardar match --explain`: each mention with the name it matched and the words around it, for an editor."""

from __future__ import annotations

import re

from worker.match.model import EntityMatch, Span

CONTEXT_WORDS = 6
_SPACE = re.compile(r"\s+")


def explain(match: EntityMatch, title: str, text: str) -> str:
    """A few lines an editor can read: the entity, then each counted mention in its words."""
    head = f"{match.watchlist}/{match.entity} ({match.kind}) ×{match.count}: {', '.join(match.names)}"
    lines = [head]
    for span in match.spans:
        source = title if span.field == "title" else text
        lines.append(f"  {span.field} {span.start}-{span.end} «{span.text}»: {in_context(source, span)}")
    return "\n".join(lines)


def in_context(source: str, span: Span, *, words: int = CONTEXT_WORDS) -> str:
    """The span marked with [ ] between up to ``words`` words on either side, squashed onto one line."""
    before, after = source[: span.start], source[span.end :]
    gaps = [gap for gap in _SPACE.finditer(before) if gap.end() < len(before)]
    if len(gaps) >= words:
        before = "… " + before[gaps[-words].end() :]
    gaps = [gap for gap in _SPACE.finditer(after) if gap.start() > 0]
    if len(gaps) >= words:
        after = after[: gaps[words - 1].start()] + " …"
    return _SPACE.sub(" ", f"{before}[{span.text}]{after}").strip()
