"""Text that fits: grapheme-safe truncation with a visible marker, and fitting a rendering into a limit.

A Devanagari conjunct (क्ष, स्त्र) or a letter with its vowel sign is one grapheme cluster of several code
points; cutting inside one leaves a dangling virama or matra, so every cut here falls between clusters.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import regex

TRUNCATION_MARKER = "…"
WORD_BACKOFF_GRAPHEMES = 24  # a cut moves back to the last space when one is this close, to keep whole words

Run = tuple[str, bool]  # (text, bold)
Runs = tuple[Run, ...]
T = TypeVar("T")

_GRAPHEME = regex.compile(r"\X")
_CONTROL = regex.compile(r"[\p{Cc}\p{Cs}\p{Co}\u2028\u2029]")
_SPACES = regex.compile(r"\s+")


def graphemes(text: str) -> list[str]:
    clusters: list[str] = _GRAPHEME.findall(text)
    return clusters


def head(text: str, max_graphemes: int) -> str:
    """The first ``max_graphemes`` clusters and the marker, without scanning all of a huge text."""
    window = 4 * max_graphemes + 64
    while True:
        clusters = graphemes(text[:window])
        if len(clusters) > max_graphemes:  # the window's last cluster may be cut short, but it is dropped here
            return "".join(clusters[:max_graphemes]) + TRUNCATION_MARKER
        if window >= len(text):
            return text
        window *= 2


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def json_text(payload: Any) -> str:
    """The JSON as it goes on the wire (UTF-8, not ASCII-escaped), so sizes and signatures match the body."""
    return json.dumps(payload, ensure_ascii=False)


def json_bytes_len(payload: Any) -> int:
    return utf8_len(json_text(payload))


def clean_line(text: str) -> str:
    """NFC, control characters (terminal escapes included) dropped, all whitespace runs one space."""
    text = unicodedata.normalize("NFC", text)
    cleaned: str = _SPACES.sub(" ", _CONTROL.sub(" ", text))
    return cleaned.strip()


def plain(runs: Runs) -> str:
    return "".join(text for text, _bold in runs)


def cut_runs(runs: Runs, keep: int) -> Runs:
    """The first ``keep`` grapheme clusters (backed off to a word end when one is close), then the marker."""
    clusters = [(cluster, bold) for text, bold in runs for cluster in graphemes(text)]
    kept = clusters[:keep]
    space_at = max((i for i, (cluster, _) in enumerate(kept) if cluster.isspace()), default=-1)
    if space_at > 0 and keep - space_at <= WORD_BACKOFF_GRAPHEMES:
        kept = kept[:space_at]
    while kept and kept[-1][0].isspace():
        kept.pop()
    return _merge([*kept, (TRUNCATION_MARKER, False)])


def _merge(clusters: list[Run]) -> Runs:
    merged: list[Run] = []
    for text, bold in clusters:
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + text, bold)
        else:
            merged.append((text, bold))
    return tuple(merged)


def fit(runs: Runs, build: Callable[[Runs], T], size: Callable[[T], int], max_size: int) -> T:
    """``build(runs)`` if it is within ``max_size``, else built from the longest prefix of whole clusters that is.

    ``build`` renders the whole thing being limited (a section, a message, a JSON payload), so escaping and
    markup are counted exactly; raises ValueError when even the marker alone does not fit (a budget bug).
    """
    whole = build(runs)
    if size(whole) <= max_size:
        return whole
    low, high, best = 0, sum(len(graphemes(text)) for text, _ in runs) - 1, None
    while low <= high:
        middle = (low + high) // 2
        candidate = build(cut_runs(runs, middle))
        if size(candidate) <= max_size:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if best is None:
        raise ValueError(f"nothing fits in {max_size}: the fixed part of the message is already too large")
    return best


def truncate(text: str, max_chars: int, *, measure: Callable[[str], int] = utf16_len) -> str:
    """``text`` cut on a cluster boundary, with the marker, so that ``measure`` of the result ≤ ``max_chars``."""
    return fit(((text, False),), plain, measure, max_chars)


def fit_text(text: str, build: Callable[[str], T], size: Callable[[T], int], max_size: int) -> T:
    """:func:`fit` for one plain string: ``build`` gets the (possibly cut) text."""
    return fit(((text, False),), lambda runs: build(plain(runs)), size, max_size)
