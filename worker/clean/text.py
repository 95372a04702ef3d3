"""Plain-text helpers: Unicode normalization, whitespace, paragraphs and how much of a text is Devanagari."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex

DEVANAGARI = re.compile(r"[\u0900-\u097F\uA8E0-\uA8FF]")
LETTER = re.compile(r"[^\W\d_]")
# Spaces of every kind except the line breaks that separate paragraphs (NBSP and friends included).
INLINE_SPACE = re.compile(r"[^\S\n]+")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Everything but letters, combining marks (Devanagari vowel signs) and digits: spaces, punctuation, joiners.
NOT_WORD_CHAR = regex.compile(r"[^\p{L}\p{M}\p{N}]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """One line: every run of whitespace (NBSP and newlines too) becomes one space, ends trimmed."""
    return " ".join(text.split())


def devanagari_share(text: str) -> float:
    """The share of letters that are Devanagari (0.0 for a text without letters)."""
    letters = LETTER.findall(text)
    devanagari = sum(1 for letter in letters if DEVANAGARI.match(letter))
    return devanagari / len(letters) if letters else 0.0


def has_devanagari(text: str) -> bool:
    return DEVANAGARI.search(text) is not None


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs as the article body: each squashed to one line, separated by one blank line."""
    return "\n\n".join(line for line in (squash(p) for p in paragraphs) if line)


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a body written one per line or separated by blank lines."""
    return [line for line in (squash(part) for part in text.splitlines()) if line]


def comparable(text: str) -> str:
    """A form for comparing headings with body lines: letters, marks and digits only, case-folded."""
    return str(NOT_WORD_CHAR.sub("", text.casefold()))
