"""A field read piece by piece: each distinct run of non-blank text is normalized once per process, not per article.

Normalization (``worker.hindi.normalize``) never carries anything across a run of blanks (space, tab, CR, LF): the
blank ends the word, and every rule that looks back (the nasal before a consonant, a final visarga, a nukta) stops
at a word's edge. So the key of a text is the keys of its pieces joined by one space, each piece's offsets
shifted by where it starts (``tests/match/test_pieces.py`` holds it to ``normalize`` on real and hostile text).
News text repeats its words (and their punctuation) from article to article: after the first few hundred
articles nearly every piece is known, and reading a field costs dictionary look-ups instead of a pass over
each character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, chain

from worker.hindi.fuzzy import fuzzy_key
from worker.hindi.normalize import normalize

PIECE_CACHE_MAX = 100_000  # distinct pieces kept (~0.5 KB each, ~50 MB); past it the cache starts afresh
_ONE = 1
_BLANKS = re.compile(r"([ \t\r\n]+)")  # the blanks of normalize's own `space` runs, and only those


@dataclass(frozen=True, slots=True)
class Piece:
    """The words of one piece: as normalized, their stem and fuzzy forms, and each one's original range."""

    words: tuple[str, ...]
    starts: tuple[int, ...]  # original code-point range of each word, from the piece's own start
    ends: tuple[int, ...]
    stems: tuple[str, ...]
    fuzzy: tuple[str, ...]


class Words:
    """Every word of a field in order; the original range of a word is worked out when asked for (for a hit)."""

    def __init__(self, pieces: list[Piece], offsets: list[int]) -> None:
        self.pieces = pieces
        self._offsets = offsets  # where each piece starts in the field
        self._last = list(accumulate(len(piece.words) for piece in pieces))  # words up to each piece's end

    def words(self) -> list[str]:
        return list(chain.from_iterable(piece.words for piece in self.pieces))

    def stems(self) -> list[str]:
        return list(chain.from_iterable(piece.stems for piece in self.pieces))

    def fuzzy(self) -> list[str]:
        return list(chain.from_iterable(piece.fuzzy for piece in self.pieces))

    def start(self, word: int) -> int:
        """The original offset where word number ``word`` begins."""
        number, within = self._locate(word)
        return self._offsets[number] + self.pieces[number].starts[within]

    def end(self, word: int) -> int:
        """The original offset just past word number ``word``."""
        number, within = self._locate(word)
        return self._offsets[number] + self.pieces[number].ends[within]

    def _locate(self, word: int) -> tuple[int, int]:
        number = bisect_right(self._last, word)
        return number, word - (self._last[number - 1] if number else 0)


_cache: dict[str, Piece] = {}


def read_words(text: str) -> Words:
    """The words of ``text`` exactly as ``normalize(text).text.split(" ")`` gives them, with original ranges."""
    parts = _BLANKS.split(text)  # piece, blanks, piece, ..., piece
    offsets = list(accumulate(map(len, parts), initial=0))[0::2]
    get = _cache.get
    found = [get(part) or _learn(part) for part in parts[0::2]]
    kept = [number for number, piece in enumerate(found) if piece.words]
    return Words([found[number] for number in kept], [offsets[number] for number in kept])


def view_starts(lengths: Iterable[int]) -> list[int]:
    """Where each word begins in a view of ``separator + word + separator + ...``, given each word's length."""
    starts = list(accumulate(map(_ONE.__add__, lengths), initial=1))
    starts.pop()  # where a word after the last would begin
    return starts


def _learn(part: str) -> Piece:
    from worker.match.views import stem_form  # views imports this module

    normalized = normalize(part)
    words = tuple(normalized.text.split(" ")) if normalized.text else ()
    starts, ends, at = [], [], 0
    for word in words:
        starts.append(normalized.starts[at])
        ends.append(normalized.ends[at + len(word) - 1])
        at += len(word) + 1
    stems = tuple(stem_form(word) for word in words)
    piece = Piece(words, tuple(starts), tuple(ends), stems, tuple(fuzzy_key(word) for word in words))
    if len(_cache) >= PIECE_CACHE_MAX:
        _cache.clear()
    _cache[part] = piece
    return piece
