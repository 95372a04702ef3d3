"""The three views of one field that the automaton reads, each a string of word keys between separators.

Exact names are found in the normalized words, topic terms in their stems, fuzzy names in their fuzzy keys.
Each view has its own separator, and every pattern begins with its view's separator, so one automaton can
read all three strings and a pattern only ever matches in its own view. This module holds the views' rules and
the patterns' keys; ``fields`` builds the views of an article's field.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import product

from worker.hindi.stem import stem

EXACT_SEPARATOR = " "
STEM_SEPARATOR = "\x01"
FUZZY_SEPARATOR = "\x02"
_STEM_CACHE_WORDS = 200_000

# Marks a stem that lost a suffix. A bare word (सेन, नीत as in "भाजपा नीत") then never matches a term that
# had to be stemmed to reach it (सेना, नीति), while a bare term (चुनाव) matches itself and its inflections.
STRIPPED_MARK = "\x03"


@lru_cache(maxsize=_STEM_CACHE_WORDS)
def stem_form(word: str) -> str:
    stemmed = stem(word)
    return stemmed if stemmed == word else stemmed + STRIPPED_MARK


def exact_key(words: Sequence[str], *, prefix: bool = False) -> str:
    """The pattern for these normalized words as whole words; with ``prefix`` the last word may continue."""
    body = EXACT_SEPARATOR + EXACT_SEPARATOR.join(words)
    return body if prefix else body + EXACT_SEPARATOR


def stem_keys(words: Sequence[str]) -> list[str]:
    """The patterns of a topic phrase in the stem view: one per choice of bare or inflected for each bare word."""
    choices = [[form] if form != word else [word, word + STRIPPED_MARK] for word, form in _forms(words)]
    return [STEM_SEPARATOR + STEM_SEPARATOR.join(combo) + STEM_SEPARATOR for combo in product(*choices)]


def _forms(words: Sequence[str]) -> list[tuple[str, str]]:
    return [(word, stem_form(word)) for word in words]


def fuzzy_pattern(keys: Sequence[str]) -> str:
    return FUZZY_SEPARATOR + FUZZY_SEPARATOR.join(keys) + FUZZY_SEPARATOR
