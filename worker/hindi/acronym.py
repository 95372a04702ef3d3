"""Acronyms written in Devanagari: the English letters a word spells by their names (डब्ल्यूएचओ = W H O).

Hindi papers write an English acronym as the names of its letters, and spell those names several ways: W as
डब्ल्यू, डब्लू or डबल्यू, I as आई or आइ, U as यू or यु; with or without full stops (यू.एन.) and sometimes with
spaces (डब्ल्यू एच ओ). The normalizer turns the stops into spaces. ``letters`` reads one normalized word as
a run of letter names and gives the letters, so every spelling of an acronym comes to the same letters; a word
that is not made of letter names entirely (मास्क, एक) gives None.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex

from worker.hindi.chars import is_devanagari
from worker.hindi.normalize import key

_LETTERS_CACHE_WORDS = 200_000
MIN_ACRONYM_LETTERS = 2  # a name of one letter (ए, बी) is a word, not an acronym

# Every spelling of each English letter's name seen in Hindi papers, as written (normalized below: ज़ेड = जेड).
_LETTER_SPELLINGS = {
    "A": ("ए",),
    "B": ("बी",),
    "C": ("सी",),
    "D": ("डी",),
    "E": ("ई",),  # not इ: इसी ("this very") would spell E C
    "F": ("एफ",),
    "G": ("जी",),
    "H": ("एच",),
    "I": ("आई", "आइ"),
    "J": ("जे",),
    "K": ("के",),
    "L": ("एल",),
    "M": ("एम",),
    "N": ("एन",),
    "O": ("ओ",),
    "P": ("पी",),
    "Q": ("क्यू", "क्यु"),
    "R": ("आर",),
    "S": ("एस",),
    "T": ("टी",),
    "U": ("यू", "यु"),
    "V": ("वी",),
    "W": ("डब्ल्यू", "डब्लू", "डबल्यू", "डब्ल्यु", "डबल्यु", "डब्लु", "डबलू"),
    "X": ("एक्स",),
    "Y": ("वाई", "वाइ"),
    "Z": ("ज़ेड", "जैड", "ज़ैड"),
}
# Runs of letter names that are also everyday words: के (of), जी (the honorific), आई (came), सी (-like), पी (drank),
# आइए (come), बीबी (wife). In running text they are read as the words unless a full stop follows (आई. सी.), so "मोदी
# जी के" never spells G K.
_EVERYDAY_SPELLINGS = ("के", "जी", "आई", "आइ", "सी", "पी", "आइए", "बीबी")
LETTER_NAMES: dict[str, str] = {key(name): letter for letter, names in _LETTER_SPELLINGS.items() for name in names}
_LONGEST_NAME_CHARS = max(map(len, LETTER_NAMES))
EVERYDAY_WORDS = frozenset(key(spelling) for spelling in _EVERYDAY_SPELLINGS)

# Finding the words that spell letters one regex pass over a text, instead of one lookup per word: most articles
# have none but the everyday words, and those alone are left out of the pass.
_ALTERNATIVES = "|".join(sorted(map(regex.escape, LETTER_NAMES), key=len, reverse=True))
_EVERYDAY = "|".join(sorted(map(regex.escape, EVERYDAY_WORDS), key=len, reverse=True))
_SPELLING_WORD = regex.compile(f"(?<![^ ])(?!(?:{_EVERYDAY})(?![^ ]))(?:{_ALTERNATIVES})+(?![^ ])")
_DOTTED_EVERYDAY = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{_EVERYDAY})\s*\.")


@lru_cache(maxsize=_LETTERS_CACHE_WORDS)
def letters(word: str) -> str | None:
    """The English letters a normalized word spells by their names (आइसीएमआर → ICMR), or None."""
    return _read(word, 0) if word and is_devanagari(word[0]) else None


def spelled_letters(word: str, *, dotted: bool) -> str | None:
    """The letters of a word of running text: as ``letters``, but an everyday word alone stays a word unless a
    full stop follows it (आई. सी. एम. आर.)."""
    if word in EVERYDAY_WORDS and not dotted:
        return None
    return letters(word)


def spelling_words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, letters) of every word of a normalized text that spells letters, everyday words alone excepted."""
    for found in _SPELLING_WORD.finditer(text):
        spelled = letters(found.group())
        if spelled is not None:
            yield found.start(), spelled


def has_dotted_everyday_word(original: str) -> bool:
    """Whether an everyday word that is also a letter name stands before a full stop (आई. सी.) in ``original``."""
    return _DOTTED_EVERYDAY.search(original) is not None


def _read(word: str, start: int) -> str | None:
    """The letters of ``word[start:]``, trying the longest letter name first (एक्स before ए)."""
    if start == len(word):
        return ""
    for end in range(min(len(word), start + _LONGEST_NAME_CHARS), start, -1):
        letter = LETTER_NAMES.get(word[start:end])
        if letter is not None and (rest := _read(word, end)) is not None:
            return letter + rest
    return None


def mixed_acronym(words: tuple[str, ...]) -> list[str | None] | None:
    """Each word's letters (None for a word that spells none) when a name mixes an acronym of MIN_ACRONYM_LETTERS
    or more letters with other words (पीएम मोदी, यूपी सरकार); None for any other name."""
    read = [letters(word) for word in words]
    if all(part is not None for part in read):
        return None  # an acronym in every word: ``acronym_letters``
    acronyms = (word for word, part in zip(words, read, strict=True) if part and len(part) >= MIN_ACRONYM_LETTERS)
    if all(word in EVERYDAY_WORDS for word in acronyms):  # none, or only आइए (I A) and the like
        return None
    return read


def acronym_letters(words: tuple[str, ...]) -> str | None:
    """The letters of a name that is an acronym in every word (यू एन, डब्ल्यूएचओ), or None for any other name."""
    read = [letters(word) for word in words]
    if any(part is None for part in read):
        return None
    joined = "".join(part for part in read if part is not None)
    return joined if len(joined) >= MIN_ACRONYM_LETTERS else None
