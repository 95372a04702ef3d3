"""A light stemmer for Hindi nouns and adjectives, for topic terms (PRODUCT.md "Matching semantics" rule 3).

In the style of Ramanathan & Rao ("A Lightweight Stemmer for Hindi", 2003): strip the longest suffix from a
fixed list. The list keeps only the endings of noun number/case and of adjectives (-ों, -ें, -ियां, -ी, ...),
not the verb endings (-ता, -ने, -कर) of the original list, which cut names and nouns (नेता → ने). Both the
term and the text are stemmed, so a stem only has to be the same for all forms of a word, not be a word itself:
वार्ता, वार्ताएं and वार्ताओं all become वार्त; समझौता, समझौते and समझौतों become समझौत; लड़ाई and लड़ाइयों
become लडा (the इयों of a word in ई is stripped, not the ाइयों).
"""

from __future__ import annotations

from worker.hindi.chars import is_consonant, is_independent_vowel

# Longest first. Input is a normalized key, so chandrabindu is already anusvara. The original list's -ो is apart
# (VOCATIVE_PLURAL below).
SUFFIXES = (
    "इयों",
    "इयां",
    "ियों",
    "ियां",
    "ाओं",
    "ाएं",
    "ुओं",
    "ुएं",
    "ूओं",
    "ओं",
    "एं",
    "ों",
    "ें",
    "ीं",
    "ा",
    "े",
    "ी",
    "ि",
    "ु",
    "ू",
    "ई",
)
# -ो ends the vocative plural (भाइयो, दोस्तो, लड़को) and, far more often in news, a loanword (मास्को, वीडियो, मेट्रो).
# Stripped like the other endings it made मास्को (Moscow) an inflection of मास्क (mask). It is kept apart: only a
# word that itself lost a vowel ending shares its stem with an -ो form (कोरोना ~ कोरोनो, as -ा nouns inflect).
VOCATIVE_PLURAL = "ो"
# A stem keeps at least this many letters (consonants and vowel letters), so short words (की, ने, दो) stay whole.
MIN_STEM_LETTERS = 2


def stem(word: str) -> str:
    """The stem of one normalized word; words of other scripts come back unchanged."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            candidate = word[: -len(suffix)]
            if _letters(candidate) >= MIN_STEM_LETTERS:
                return candidate
    return word


def vocative_stem(word: str) -> str | None:
    """The stem of a word read as an -ो form (कोरोनो → कोरोन), or None when it does not end so or is too short."""
    if not word.endswith(VOCATIVE_PLURAL) or len(word) == len(VOCATIVE_PLURAL):
        return None
    candidate = word[: -len(VOCATIVE_PLURAL)]
    return candidate if _letters(candidate) >= MIN_STEM_LETTERS else None


def _letters(text: str) -> int:
    return sum(1 for char in text if is_consonant(char) or is_independent_vowel(char))
