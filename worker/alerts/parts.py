"""Splitting a digest into messages that each fit a platform: numbered "(1/3)", never cut short silently.

Entries go into a part while the whole rendered part still fits; the next starts a new part. A single entry
too large for a message on its own is shortened (its title cut on a grapheme boundary, its link kept) until it
fits. Every entry is in exactly one part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from worker.alerts.digest import Entry

E = TypeVar("E")
P = TypeVar("P")
Part = tuple[int, int]  # (this part, of how many)
WIDEST_PART: Part = (999, 999)  # what a part number is rendered as while fitting, so the real one is never wider


def shorter_entry(entry: Entry) -> Entry:
    return entry[0], entry[1].shortened()


def split_parts(
    entries: Sequence[E],
    build: Callable[[Sequence[E], Part | None], P],
    fits: Callable[[P], bool],
    shorten: Callable[[E], E] = shorter_entry,  # type: ignore[assignment]
) -> list[P]:
    groups: list[list[E]] = []
    current: list[E] = []
    for entry in entries:
        if fits(build([*current, entry], WIDEST_PART)):
            current.append(entry)
            continue
        if current:
            groups.append(current)
        current = [_alone(entry, build, fits, shorten)]
    if current or not groups:
        groups.append(current)
    total = len(groups)
    return [build(group, (number, total) if total > 1 else None) for number, group in enumerate(groups, start=1)]


def _alone(
    entry: E, build: Callable[[Sequence[E], Part | None], P], fits: Callable[[P], bool], shorten: Callable[[E], E]
) -> E:
    while not fits(build([entry], WIDEST_PART)):
        entry = shorten(entry)  # raises when even the shortest cannot fit: a budget bug, never a silent cut
    return entry
