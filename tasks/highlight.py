"""Matched words shown to an editor: a line of the article around the spans, the spans highlighted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.text import Text

from worker.match import Span

CONTEXT_CHARS = 60
HIGHLIGHT_STYLE = "bold black on yellow"
_SPACE = re.compile(r"\s+")


def highlighted(source: str, spans: Sequence[Span], *, context: int = CONTEXT_CHARS) -> Text:
    """The stretch of ``source`` from a little before its first span to a little after its last one in view."""
    if not spans:
        return Text(_SPACE.sub(" ", source[: 2 * context]).strip())
    ordered = sorted(spans, key=lambda span: span.start)
    start = max(0, ordered[0].start - context)
    end = min(len(source), ordered[0].end + context)
    shown = [span for span in ordered if span.end <= end]
    line = Text("… " if start else "")
    cursor = start
    for span in shown:
        if span.start < cursor:
            continue  # overlapping spans (a name inside a longer one): the first is shown
        line.append(_flat(source[cursor : span.start]))
        line.append(_flat(source[span.start : span.end]), style=HIGHLIGHT_STYLE)
        cursor = span.end
    line.append(_flat(source[cursor:end]))
    if end < len(source):
        line.append(" …")
    return line


def sample_lines(title: str, text: str, spans: Sequence[Span]) -> list[Text]:
    """The title (highlighted where it matched), then the text around its first matches."""
    title_spans = [span for span in spans if span.field == "title"]
    text_spans = [span for span in spans if span.field == "text"]
    lines = [highlighted(title, title_spans, context=len(title))]
    if text_spans:
        lines.append(highlighted(text, text_spans))
    return lines


def _flat(piece: str) -> str:
    return _SPACE.sub(" ", piece)
