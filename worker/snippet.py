"""The few sentences around a match that an alert quotes."""

from __future__ import annotations

import re

SNIPPET_MAX_CHARS = 300
_SENTENCE_END = re.compile(r"[।॥.!?]\s+|\n\s*\n")


def snippet_around(text: str, start: int, end: int, *, max_chars: int = SNIPPET_MAX_CHARS) -> str:
    """The sentence holding ``text[start:end]``, widened to neighbours while it fits in ``max_chars``."""
    if not text:
        return ""
    begin, finish = _sentence_bounds(text, start, end)
    if finish - begin > max_chars:
        return _cut_window(text, start, end, max_chars)
    return _join(text, begin, finish)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    begin = 0
    for found in _SENTENCE_END.finditer(text, 0, start):
        begin = found.end()
    after = _SENTENCE_END.search(text, end)
    finish = after.start() + 1 if after else len(text)
    return begin, finish


def _cut_window(text: str, start: int, end: int, max_chars: int) -> str:
    """A window of whole words centred on the match, marked with … where it was cut."""
    room = max(0, max_chars - (end - start)) // 2
    begin, finish = max(0, start - room), min(len(text), end + room)
    if begin > 0:
        space = text.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    if finish < len(text):
        space = text.rfind(" ", end, finish)
        finish = space if space != -1 else finish
    return ("…" if begin > 0 else "") + _join(text, begin, finish) + ("…" if finish < len(text) else "")


def _join(text: str, begin: int, finish: int) -> str:
    return " ".join(text[begin:finish].split())
