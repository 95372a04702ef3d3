"""The one normalization key for article text and watch-list terms (PRODUCT.md "Matching semantics" rule 1).

``normalize`` turns text into lower-case, nukta-free, joiner-free words separated by single spaces, and keeps,
for every character of the key, the range of original characters it came from, so that a match found in the
key can be quoted from the original text character for character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from worker.hindi.chars import (
    ANUSVARA,
    DIGIT_FOLDS,
    HOMORGANIC_NASAL,
    INVISIBLE,
    LETTER_FOLDS,
    NUKTA,
    VIRAMA,
    VISARGA,
    is_devanagari,
)

_DROP: Final = 0  # invisible: vanishes without a trace
_ATTACH: Final = 1  # the nukta: vanishes, but belongs to the letter before it (a span ending in ड़ keeps it)
_BREAK: Final = 2  # space, punctuation, symbol: ends the word
_WORD: Final = 3  # letter, mark or digit

_OTHER_SCRIPT: Final = 0
_DEVANAGARI: Final = 1
_INHERIT: Final = 2  # a combining mark belongs to the script of the letter it sits on

_Kind = tuple[int, str, int]
_KINDS: dict[str, _Kind] = {}


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalized key of ``original``; character ``i`` of ``text`` came from ``original[starts[i]:ends[i]]``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original code-point range behind the non-empty key range ``text[start:end]``."""
        return self.starts[start], self.ends[end - 1]


class _Builder:
    """Appends key characters with their original ranges; applies the rules that look back at what came before."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.script = _OTHER_SCRIPT
        self.broken = False

    def word_char(self, char: str, start: int, end: int, script: int) -> None:
        chars = self.chars
        starting = not chars or self.broken
        if chars and (self.broken or _INHERIT != script != self.script != _INHERIT):
            self._end_word()
            self._append(" ", start, start)
        self.broken = False
        if script != _INHERIT or starting:
            self.script = script  # a word that starts with a stray mark takes the script of its first letter
        if len(chars) >= 2 and chars[-1] == VIRAMA and char in HOMORGANIC_NASAL.get(chars[-2], ()):
            self._nasal_to_anusvara()
        self._append(char, start, end)

    def attach(self, end: int) -> None:
        if self.chars and not self.broken:
            self.ends[-1] = end

    def finish(self, original: str) -> Normalized:
        self._end_word()
        return Normalized(original, "".join(self.chars), tuple(self.starts), tuple(self.ends))

    def _append(self, char: str, start: int, end: int) -> None:
        self.chars.append(char)
        self.starts.append(start)
        self.ends.append(end)

    def _nasal_to_anusvara(self) -> None:
        end = self.ends[-1]
        del self.chars[-1], self.starts[-1], self.ends[-1]
        self.chars[-1] = ANUSVARA
        self.ends[-1] = end

    def _end_word(self) -> None:
        # A visarga at the end of a word is almost always a colon typed as ः (यूक्रेनः), not part of the word.
        while len(self.chars) >= 2 and self.chars[-1] == VISARGA and self.chars[-2] != " ":
            del self.chars[-1], self.starts[-1], self.ends[-1]


def normalize(text: str) -> Normalized:
    """The matching key of ``text`` with its map back to ``text`` (see the module docstring for the rules)."""
    builder = _Builder()
    for piece, start, end in _nfc_pieces(text):
        for char in piece:
            kind, folded, script = _KINDS.get(char) or _classify(char)
            if kind == _WORD:
                for out in folded:
                    builder.word_char(out, start, end, script)
            elif kind == _BREAK:
                builder.broken = True
            elif kind == _ATTACH:
                builder.attach(end)
    return builder.finish(text)


def key(text: str) -> str:
    """Just the normalized key of ``text``, for watch-list terms."""
    return normalize(text).text


def _nfc_pieces(text: str) -> list[tuple[str, int, int]]:
    """NFC of ``text`` as pieces with their original ranges: a letter and the combining marks on it compose together."""
    if unicodedata.is_normalized("NFC", text):
        return [(char, index, index + 1) for index, char in enumerate(text)]
    pieces: list[tuple[str, int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            pieces.append((unicodedata.normalize("NFC", text[start:index]), start, index))
            start = index
    return pieces


def _classify(char: str) -> _Kind:
    kind = _compute_kind(char)
    _KINDS[char] = kind
    return kind


def _compute_kind(char: str) -> _Kind:
    if char in INVISIBLE:
        return (_DROP, "", _OTHER_SCRIPT)
    if char == NUKTA:
        return (_ATTACH, "", _DEVANAGARI)
    folded = LETTER_FOLDS.get(char) or DIGIT_FOLDS.get(char) or char
    category = unicodedata.category(folded)
    if category[0] not in "LMN":
        return (_BREAK, " ", _OTHER_SCRIPT)
    if category[0] == "M":
        return (_WORD, folded, _INHERIT)
    if is_devanagari(folded):
        return (_WORD, folded, _DEVANAGARI)
    return (_WORD, folded.casefold(), _OTHER_SCRIPT)
