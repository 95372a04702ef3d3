"""The views of one field that the automaton reads, each a string of word keys between separators.

Exact names are found in the normalized words, topic terms in their stems, fuzzy names in their fuzzy keys,
acronyms in the letters their words spell (worker/hindi/acronym.py). Each view has its own separator, and every
pattern begins with its view's separator, so one automaton can read all the strings and a pattern only ever
matches in its own view.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, product

from worker.hindi.acronym import has_dotted_everyday_word, spelled_letters, spelling_words
from worker.hindi.fuzzy import fuzzy_key
from worker.hindi.normalize import Normalized, normalize
from worker.hindi.stem import stem, vocative_stem
from worker.hindi.tokenize import Token, tokenize

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
    if len(letters) > ACRONYM_GROUPED_MAX_LETTERS:
        groupings = [[letters], list(letters)]
    else:
        groupings = [_grouped(letters, cuts) for cuts in product((False, True), repeat=len(letters) - 1)]
    return [ACRONYM_SEPARATOR + ACRONYM_SEPARATOR.join(groups) + ACRONYM_SEPARATOR for groups in groupings]


def _grouped(letters: str, cuts: tuple[bool, ...]) -> list[str]:
    groups = [letters[0]]
    for letter, cut in zip(letters[1:], cuts, strict=True):
        if cut:
            groups.append(letter)
        else:
            groups[-1] += letter
    return groups


@dataclass(frozen=True)
class View:
    text: str
    starts: list[int]  # view offset of each word


@dataclass(frozen=True)
class Field:
    name: str
    normalized: Normalized
    tokens: list[Token]
    views: list[View]

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        return self.normalized.original_span(self.tokens[first].start, self.tokens[last].end)


def read_field(name: str, text: str, *, stems: bool, fuzzy: bool, acronyms: bool = False) -> Field:
    """Normalize one field and build the views the compiled patterns need."""
    normalized = normalize(text)
    tokens = tokenize(normalized.text)
    views = [View(EXACT_SEPARATOR + normalized.text + EXACT_SEPARATOR, [token.start + 1 for token in tokens])]
    if stems:
        views.append(_view([stem_form(token.text) for token in tokens], STEM_SEPARATOR))
    if fuzzy:
        views.append(_view([fuzzy_key(token.text) for token in tokens], FUZZY_SEPARATOR))
    acronym_words = _acronym_words(normalized, tokens) if acronyms else None
    if acronym_words is not None:
        views.append(_view(acronym_words, ACRONYM_SEPARATOR))
    return Field(name, normalized, tokens, views)


def _acronym_words(normalized: Normalized, tokens: list[Token]) -> list[str] | None:
    """Each token's letters in upper case, any other token as it is (lower case or Devanagari: never an acronym's
    letters); None when no token spells letters, as then no acronym can be found."""
    if has_dotted_everyday_word(normalized.original):
        return [_acronym_word(normalized, token) for token in tokens]
    found = list(spelling_words(normalized.text))
    if not found:
        return None
    words = normalized.text.split(" ")
    starts = [token.start for token in tokens]
    for offset, letters in found:
        words[bisect_left(starts, offset)] = letters
    return words


def _acronym_word(normalized: Normalized, token: Token) -> str:
    end = normalized.ends[token.end - 1]
    dotted = normalized.original[end : end + 1] == "."
    return spelled_letters(token.text, dotted=dotted) or token.text


def _view(words: list[str], separator: str) -> View:
    """The words between separators, and where each begins (one past the separator before it)."""
    starts = list(accumulate(map((1).__add__, map(len, words)), initial=1))[:-1]
    return View(separator + separator.join(words) + separator, starts)
