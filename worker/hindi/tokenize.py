"""Words of a normalized key: the key already has exactly one space between words and none at either end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # offsets into the normalized key
    end: int


def tokenize(key: str) -> list[Token]:
    """The words of a normalized key with their key offsets."""
    tokens: list[Token] = []
    start = 0
    for word in key.split(" ") if key else ():
        tokens.append(Token(word, start, start + len(word)))
        start += len(word) + 1
    return tokens
