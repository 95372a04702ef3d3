"""The views of one field that the automaton reads, each a string of word keys between separators.

Exact names are found in the normalized words, topic terms in their stems, fuzzy names in their fuzzy keys,
acronyms in the letters their words spell (worker/hindi/acronym.py). Each view has its own separator, and every
pattern begins with its view's separator, so one automaton can read all the strings and a pattern only ever
matches in its own view. This module holds the views' rules and the patterns' keys; ``fields`` builds the views of
an article's field.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import product

from worker.hindi.stem import stem, vocative_stem

EXACT_SEPARATOR = " "
STEM_SEPARATOR = "\x01"
FUZZY_SEPARATOR = "\x02"
ACRONYM_SEPARATOR = "\x04"
# An acronym's letters may stand in any grouping (यूएन, यू.एन., डब्ल्यू एचओ): each grouping is a pattern, so a name
# of n letters has 2^(n-1); past this many letters only the solid and the letter-by-letter forms are.
ACRONYM_GROUPED_MAX_LETTERS = 6
_STEM_CACHE_WORDS = 200_000

# Marks a stem that lost a suffix. A bare word (सेन, नीत as in "भाजपा नीत") then never matches a term that
# had to be stemmed to reach it (सेना, नीति), while a bare term (चुनाव) matches itself and its inflections.
STRIPPED_MARK = "\x03"
# Marks a stem that lost -ो (worker/hindi/stem.py): it meets only the terms that lost a vowel ending themselves, so
# मास्को never meets मास्क while कोरोनो meets कोरोना.
VOCATIVE_MARK = "\x05"


@lru_cache(maxsize=_STEM_CACHE_WORDS)
def stem_form(word: str) -> str:
    stemmed = stem(word)
    if stemmed != word:
        return stemmed + STRIPPED_MARK
    vocative = vocative_stem(word)
    return word if vocative is None else vocative + VOCATIVE_MARK


def exact_key(words: Sequence[str], *, prefix: bool = False) -> str:
    """The pattern for these normalized words as whole words; with ``prefix`` the last word may continue."""
    body = EXACT_SEPARATOR + EXACT_SEPARATOR.join(words)
    return body if prefix else body + EXACT_SEPARATOR


def stem_keys(words: Sequence[str]) -> list[str]:
    """The patterns of a topic phrase in the stem view: one per choice of bare or inflected for each bare word."""
    choices = [_inflected(word, stem_form(word)) for word in words]
    return [STEM_SEPARATOR + STEM_SEPARATOR.join(combo) + STEM_SEPARATOR for combo in product(*choices)]


def _inflected(word: str, form: str) -> list[str]:
    """The stem forms of a term's word: bare (itself and any suffix), stripped (with -ो too), or an -ो form."""
    if form == word:
        return [word, word + STRIPPED_MARK]
    if form.endswith(STRIPPED_MARK):
        return [form, form[: -len(STRIPPED_MARK)] + VOCATIVE_MARK]
    return [form]


def fuzzy_pattern(keys: Sequence[str]) -> str:
    return FUZZY_SEPARATOR + FUZZY_SEPARATOR.join(keys) + FUZZY_SEPARATOR


def acronym_patterns(letters: str) -> list[str]:
    """The patterns of an acronym (its letters in upper case): every grouping of its letters into words."""
    return [_acronym_pattern(groups) for groups in _groupings(letters)]


def mixed_acronym_patterns(words: Sequence[str], spelled: Sequence[str | None], everyday: frozenset[str]) -> list[str]:
    """The patterns of a name that is an acronym in some words only (पीएम मोदी = पी.एम. मोदी): each word that spells
    letters in any grouping of them, the others as written. ``spelled`` holds each word's letters or None; an
    everyday word that is also a letter name (जी, के) stands as itself or, before a full stop, as its letter. With
    more than one acronym in the name, each is written solid or letter by letter only, so the patterns stay few."""
    several = sum(1 for letters in spelled if letters and len(letters) > 1) > 1
    choices: list[list[list[str]]] = []
    for word, letters in zip(words, spelled, strict=True):
        if letters is None:
            choices.append([[word]])
        elif word in everyday:
            choices.append([[word], [letters]])
        else:
            choices.append([[letters], list(letters)] if several and len(letters) > 1 else _groupings(letters))
    return [_acronym_pattern([token for part in combo for token in part]) for combo in product(*choices)]


def _acronym_pattern(tokens: Sequence[str]) -> str:
    return ACRONYM_SEPARATOR + ACRONYM_SEPARATOR.join(tokens) + ACRONYM_SEPARATOR


def _groupings(letters: str) -> list[list[str]]:
    if len(letters) > ACRONYM_GROUPED_MAX_LETTERS:
        return [[letters], list(letters)]
    return [_grouped(letters, cuts) for cuts in product((False, True), repeat=len(letters) - 1)]


def _grouped(letters: str, cuts: tuple[bool, ...]) -> list[str]:
    groups = [letters[0]]
    for letter, cut in zip(letters[1:], cuts, strict=True):
        if cut:
            groups.append(letter)
        else:
            groups[-1] += letter
    return groups
