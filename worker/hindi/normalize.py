"""The one normalization key for article text and watch-list terms (PRODUCT.md "Matching semantics" rule 1).

``normalize`` turns text into lower-case, nukta-free, joiner-free words separated by single spaces, and keeps,
for every character of the key, the range of original characters it came from, so that a match found in the
key can be quoted from the original text character for character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

import regex

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

    def copy(self, chars: str, start: int) -> None:
        """Append characters that need no rule, in a word already begun, mapped one to one from ``start``."""
        self.chars.extend(chars)
        self.starts.extend(range(start, start + len(chars)))
        self.ends.extend(range(start + 1, start + len(chars) + 1))

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


class _KeyBuilder(_Builder):
    """The same rules without the map back to the original, for a key alone: about a third less work."""

    def attach(self, end: int) -> None:
        pass

    def copy(self, chars: str, start: int) -> None:
        self.chars.extend(chars)

    def key(self) -> str:
        self._end_word()
        return "".join(self.chars)

    def _append(self, char: str, start: int, end: int) -> None:
        self.chars.append(char)

    def _nasal_to_anusvara(self) -> None:
        del self.chars[-1]
        self.chars[-1] = ANUSVARA

    def _end_word(self) -> None:
        while len(self.chars) >= 2 and self.chars[-1] == VISARGA and self.chars[-2] != " ":
            del self.chars[-1]


def normalize(text: str) -> Normalized:
    """The matching key of ``text`` with its map back to ``text`` (see the module docstring for the rules)."""
    builder = _Builder()
    _build(builder, text)
    return builder.finish(text)


def key(text: str) -> str:
    """Just the normalized key of ``text``: what ``normalize(text).text`` is, without the map."""
    builder = _KeyBuilder()
    _build(builder, text)
    return builder.key()


def _build(builder: _Builder, text: str) -> None:
    for run in _RUNS.finditer(text):
        start, end = run.span()
        kind = run.lastgroup
        if kind == "plain":
            _plain_run(builder, text, start, end)
        elif kind == "space":
            builder.broken = True
        elif end - start == 1:
            _char(builder, text[start], start, end)
        else:
            _cluster(builder, text, start, end)


# Most of a Hindi article is Devanagari words that the key keeps as they are, ASCII words that only need lower
# case, and single spaces; runs of those take a fast path. The rest (nukta, candra vowels, chandrabindu, visarga,
# joiners, punctuation, other scripts, a letter with combining marks, a nasal cluster) goes one character at a time.
_PLAIN_DEVANAGARI = (
    "\u0902\u0904-\u090c\u090f\u0910\u0913-\u0928\u092a-\u0930\u0932\u0933\u0935-\u0939\u093d-\u0944"
    "\u0947\u0948\u094b\u094c\u094d\u0960-\u0963"
)
_INVISIBLE_CHARS = "".join(sorted(INVISIBLE))
_INVISIBLE_RUN = regex.compile(f"[{_INVISIBLE_CHARS}]+")
_MARK_OR_INVISIBLE = rf"[\p{{M}}{_INVISIBLE_CHARS}]"
_RUNS = regex.compile(
    rf"(?P<plain>[{_PLAIN_DEVANAGARI}]+(?: [{_PLAIN_DEVANAGARI}]+)*"
    rf"|[A-Za-z0-9]+(?: [A-Za-z0-9]+)*(?!{_MARK_OR_INVISIBLE}))"
    rf"|(?P<space>[ \t\r\n]+)|(?P<other>.{_MARK_OR_INVISIBLE}*)",
    regex.DOTALL,
)
_NASAL_CLUSTER = regex.compile(
    "|".join(f"{nasal}{VIRAMA}[{''.join(sorted(after))}]" for nasal, after in HOMORGANIC_NASAL.items())
)


def _plain_run(builder: _Builder, text: str, start: int, end: int) -> None:
    """The first letter goes the full way (word boundary, the nasal rule); the others are copied as they are."""
    if VIRAMA in text[start:end] and _NASAL_CLUSTER.search(text, start, end):
        for index in range(start, end):
            _char(builder, text[index], index, index + 1)
        return
    index = start
    while index < end:
        kind = _KINDS.get(text[index]) or _classify(text[index])
        _char(builder, text[index], index, index + 1)
        index += 1
        if kind[0] == _WORD and kind[2] != _INHERIT:
            break
    if index < end:
        builder.copy(text[index:end].lower(), index)


def _cluster(builder: _Builder, text: str, start: int, end: int) -> None:
    """A letter with combining marks (and joiners between): composed (NFC), kept one word, mapped to all of it."""
    composed = unicodedata.normalize("NFC", _INVISIBLE_RUN.sub("", text[start:end]))
    if not composed:
        return
    _char(builder, composed[0], start, end)
    glued = (_KINDS.get(composed[0]) or _classify(composed[0]))[0] == _WORD
    for char in composed[1:]:
        _char(builder, char, start, end, glued=glued)


def _char(builder: _Builder, char: str, start: int, end: int, *, glued: bool = False) -> None:
    kind, folded, script = _KINDS.get(char) or _classify(char)
    if glued and script != _OTHER_SCRIPT:
        script = _INHERIT
    if kind == _WORD:
        for out in folded:
            builder.word_char(out, start, end, script)
    elif kind == _BREAK:
        builder.broken = True
    elif kind == _ATTACH:
        builder.attach(end)


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
    if is_devanagari(folded):
        return (_WORD, folded, _DEVANAGARI)
    return (_WORD, folded.casefold(), _INHERIT if category[0] == "M" else _OTHER_SCRIPT)
