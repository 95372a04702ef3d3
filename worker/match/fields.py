"""Reading an article's field for the automaton: its words, their views, and each word's original range.

A field is read piece by piece: each distinct run of non-blank text is normalized once per process, not once per
article. Normalization (``worker.hindi.normalize``) never carries anything across a run of blanks (space, tab, CR,
LF): the blank ends the word, and every rule that looks back (the nasal before a consonant, a final visarga, a
nukta) stops at a word's edge. So the key of a text is the keys of its pieces joined by one space, each piece's
offsets shifted by where it starts (``tests/match/test_fields.py`` holds it to ``normalize`` on real and hostile
text). News text repeats its words, and their punctuation, from article to article: after the first few hundred
articles nearly every piece is known, and reading a field is look-ups and joins done in C, whatever the rules.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain
from operator import attrgetter

from worker.hindi.acronym import spelled_letters
from worker.hindi.fuzzy import fuzzy_key
from worker.hindi.normalize import Normalized, normalize
from worker.match.views import ACRONYM_SEPARATOR, EXACT_SEPARATOR, FUZZY_SEPARATOR, STEM_SEPARATOR, stem_form

COUNT_MAX_CHARS = 16_000  # a view up to this long finds a hit's word by counting separators (about 5 µs at most)
PIECE_CACHE_MAX = 100_000  # distinct pieces kept (~1 KB each with their views, ~100 MB); then it starts afresh
_ONE = 1


@dataclass(frozen=True, slots=True, eq=False)
class Piece:
    """The words of one piece, each view's part (its words, each followed by the view's separator), the steps from
    one word's start to the next in each view, and each word's original range from the piece's own start."""

    count: int
    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    exact: str
    stem: str
    fuzzy: str
    acronym: str  # a word that spells English letters by their names as the letters (upper case), others as they are
    exact_steps: tuple[int, ...]
    stem_steps: tuple[int, ...]
    fuzzy_steps: tuple[int, ...]
    acronym_steps: tuple[int, ...]
    spells: bool  # some word of the piece spells letters: without one in the field, no acronym can be found


_VIEWS = {
    EXACT_SEPARATOR: (attrgetter("exact"), attrgetter("exact_steps")),
    STEM_SEPARATOR: (attrgetter("stem"), attrgetter("stem_steps")),
    FUZZY_SEPARATOR: (attrgetter("fuzzy"), attrgetter("fuzzy_steps")),
    ACRONYM_SEPARATOR: (attrgetter("acronym"), attrgetter("acronym_steps")),
}
_COUNT = attrgetter("count")


class View:
    """One view of a field: the text the automaton reads, and which word a position of it falls in."""

    def __init__(self, pieces: list[Piece], separator: str) -> None:
        part, self._steps = _VIEWS[separator]
        self._pieces = pieces
        self._separator = separator
        self.text = separator + "".join(map(part, pieces))

    def word_at(self, position: int) -> int:
        """The number of the word that ``position`` falls in, the separator before a word counting as the word's.

        Words hold no separator, so that is the number of separators before ``position``, less one: counted in C
        for a field of ordinary length, looked up in the words' starts for a long one (counting would grow with
        its length times its hits)."""
        if len(self.text) <= COUNT_MAX_CHARS:
            return self.text.count(self._separator, 0, position) - 1
        return bisect_right(self._starts, position) - 1

    @cached_property
    def _starts(self) -> list[int]:
        starts = list(accumulate(chain.from_iterable(map(self._steps, self._pieces)), initial=1))
        starts.pop()  # where a word after the last would begin
        return starts


class Field:
    """One field (title or text) of an article, read for the views the compiled patterns need."""

    def __init__(self, name: str, original: str, *, stems: bool, fuzzy: bool, acronyms: bool = False) -> None:
        self.name = name
        self.original = original
        parts = _parts(original)
        self._offsets = list(accumulate(map(_ONE.__add__, map(len, parts)), initial=0))  # where each part starts
        self._pieces = _pieces(parts)
        self.views = [View(self._pieces, EXACT_SEPARATOR)]
        if stems:
            self.views.append(View(self._pieces, STEM_SEPARATOR))
        if fuzzy:
            self.views.append(View(self._pieces, FUZZY_SEPARATOR))
        if acronyms and any(piece.spells for piece in self._pieces):
            self.views.append(View(self._pieces, ACRONYM_SEPARATOR))

    def words(self) -> list[str]:
        return list(chain.from_iterable(piece.words for piece in self._pieces))

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        """The original code-point range of words ``first..last`` (inclusive)."""
        return self._start(first), self._end(last)

    @cached_property
    def _last(self) -> list[int]:
        return list(accumulate(map(_COUNT, self._pieces)))  # words up to the end of each piece

    def _start(self, word: int) -> int:
        number, within = self._locate(word)
        return self._offsets[number] + self._pieces[number].starts[within]

    def _end(self, word: int) -> int:
        number, within = self._locate(word)
        return self._offsets[number] + self._pieces[number].ends[within]

    def _locate(self, word: int) -> tuple[int, int]:
        number = bisect_right(self._last, word)  # the first piece that ends past the word: pieces with no word skipped
        return number, word - (self._last[number - 1] if number else 0)


def read_field(name: str, text: str, *, stems: bool, fuzzy: bool, acronyms: bool = False) -> Field:
    """Normalize one field (piece by piece) and build the views the compiled patterns need."""
    return Field(name, text, stems=stems, fuzzy=fuzzy, acronyms=acronyms)


_cache: dict[str, Piece] = {}


def _parts(text: str) -> list[str]:
    """``text`` cut at every blank of normalize's own ``space`` runs (space, tab, CR, LF) and only those: between
    two blanks in a row the part is empty. str.replace and str.split run in C, far faster than a regex split."""
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ").split(" ")


def _pieces(parts: list[str]) -> list[Piece]:
    """The piece of each part; once the cache knows them all, one look-up each in C."""
    new = set(parts).difference(_cache)
    if not new:
        try:
            return list(map(_cache.__getitem__, parts))
        except KeyError:  # another thread started the cache afresh meanwhile
            pass
    learned = {part: _learn(part) for part in new}
    return [_cache.get(part) or learned.get(part) or _learn(part) for part in parts]


def _learn(part: str) -> Piece:
    normalized = normalize(part)
    words = tuple(normalized.text.split(" ")) if normalized.text else ()
    starts, ends, at = [], [], 0
    for word in words:
        starts.append(normalized.starts[at])
        ends.append(normalized.ends[at + len(word) - 1])
        at += len(word) + 1
    stems = tuple(stem_form(word) for word in words)
    keys = tuple(fuzzy_key(word) for word in words)
    spelled = tuple(_spelled(normalized, word, end) for word, end in zip(words, ends, strict=True))
    acronyms = tuple(letters or word for word, letters in zip(words, spelled, strict=True))
    piece = Piece(
        count=len(words),
        words=words,
        starts=tuple(starts),
        ends=tuple(ends),
        exact=_part(words, EXACT_SEPARATOR),
        stem=_part(stems, STEM_SEPARATOR),
        fuzzy=_part(keys, FUZZY_SEPARATOR),
        acronym=_part(acronyms, ACRONYM_SEPARATOR),
        exact_steps=_steps(words),
        stem_steps=_steps(stems),
        fuzzy_steps=_steps(keys),
        acronym_steps=_steps(acronyms),
        spells=any(spelled),
    )
    if len(_cache) >= PIECE_CACHE_MAX:
        _cache.clear()
    _cache[part] = piece
    return piece


def _spelled(normalized: Normalized, word: str, end: int) -> str | None:
    """The letters a word spells; an everyday word that is also a letter name (के, जी) only before a full stop."""
    return spelled_letters(word, dotted=normalized.original[end : end + 1] == ".")


def _part(forms: tuple[str, ...], separator: str) -> str:
    return "".join(form + separator for form in forms)


def _steps(forms: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(len(form) + 1 for form in forms)
