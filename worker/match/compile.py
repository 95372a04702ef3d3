"""Compile every name, short name, exclude phrase and query term of every watch-list into one automaton.

The automaton is built once per config version; matching an article is then one pass over each view of its
title and text whatever the number of names, and the per-entity logic only looks at the entities that were hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import ahocorasick

from worker.config.models import EntityConfig, WatchlistConfig
from worker.errors import ConfigError
from worker.hindi.chars import is_devanagari
from worker.hindi.fuzzy import consonants, fuzzy_words
from worker.hindi.normalize import key
from worker.match.views import FUZZY_SEPARATOR, STEM_SEPARATOR, exact_key, fuzzy_pattern, stem_keys
from worker.query import Node, Term, TermMode, parse_query, terms

Role = Literal["name", "short", "exclude", "term"]
HONORIFIC = "जी"
# Topics are variant-tolerant by default where the name is long enough for its fuzzy key to be its own: with 3
# consonants कोरोना's key is करना's (benchmarks/variants_quality.py: precision 1.00 kept, held-out recall 0.85→0.95).
TOPIC_FUZZY_MIN_CONSONANTS = 4


@dataclass(frozen=True, slots=True)
class Owner:
    """Who a pattern belongs to: the entity (by index), in which role, and which of its terms."""

    entity: int
    role: Role
    term: int


@dataclass(frozen=True)
class CompiledEntity:
    watchlist: str
    entity: str
    kind: str
    labels: tuple[str, ...]  # what each term index reports in EntityMatch.names
    query: Node | None  # the topic query; None for entities that match on names alone
    query_terms: dict[Term, int] = field(hash=False)


@dataclass
class Compiled:
    automaton: Any  # ahocorasick.Automaton: (end index) -> (pattern length, ends at a separator, owners)
    entities: list[CompiledEntity]
    stems: bool
    fuzzy: bool


class _Compiler:
    def __init__(self) -> None:
        self.patterns: dict[str, list[Owner]] = {}
        self.entities: list[CompiledEntity] = []

    def add(self, pattern: str, owner: Owner) -> None:
        owners = self.patterns.setdefault(pattern, [])
        if owner not in owners:
            owners.append(owner)

    def add_words(self, words: tuple[str, ...], mode: TermMode, owner: Owner, *, fuzzy: bool) -> None:
        if mode == "exact" and owner.role != "term" and is_devanagari(words[-1][-1]):
            # A person's name takes the honorific जी written together as often as apart (मोदीजी, मोदी जी).
            self.add(exact_key((*words[:-1], words[-1] + HONORIFIC)), owner)
        if mode == "stem":
            for pattern in stem_keys(words):
                self.add(pattern, owner)
        else:
            self.add(exact_key(words, prefix=mode == "prefix"), owner)
        fuzzy_keys = fuzzy_words(words) if fuzzy and mode != "prefix" else None
        if fuzzy_keys is not None:
            self.add(fuzzy_pattern(fuzzy_keys), owner)

    def entity(self, watchlist: str, config: EntityConfig) -> None:
        index = len(self.entities)
        mode: TermMode = "exact" if config.kind == "leader" else "stem"
        labels = [*config.names, *config.short_names]
        for number, term in enumerate(labels):
            role: Role = "name" if number < len(config.names) else "short"
            words = _words(term, watchlist, config)
            self.add_words(words, mode, Owner(index, role, number), fuzzy=_fuzzy(config, words))
        for number, phrase in enumerate(config.exclude):
            owner = Owner(index, "exclude", number)
            words = _words(phrase, watchlist, config)
            self.add_words(words, mode, owner, fuzzy=_fuzzy(config, words))
        query, query_terms = self.query(index, config, labels)
        self.entities.append(CompiledEntity(watchlist, config.id, config.kind, tuple(labels), query, query_terms))

    def query(self, index: int, config: EntityConfig, labels: list[str]) -> tuple[Node | None, dict[Term, int]]:
        if config.query is None:
            return None, {}
        node = parse_query(config.query)
        numbers: dict[Term, int] = {}
        for term in terms(node):
            if term not in numbers:
                numbers[term] = len(labels)
                labels.append(term.text)
                self.add_words(term.words, term.mode, Owner(index, "term", numbers[term]), fuzzy=False)
        return node, numbers

    def build(self) -> Compiled:
        automaton = ahocorasick.Automaton()
        for pattern, owners in self.patterns.items():
            automaton.add_word(pattern, (len(pattern), pattern.endswith(pattern[0]), tuple(owners)))
        if self.patterns:
            automaton.make_automaton()
        stems = any(pattern[0] == STEM_SEPARATOR for pattern in self.patterns)
        fuzzy = any(pattern[0] == FUZZY_SEPARATOR for pattern in self.patterns)
        return Compiled(automaton if self.patterns else None, self.entities, stems, fuzzy)


def compile_watchlists(watchlists: Sequence[WatchlistConfig]) -> Compiled:
    compiler = _Compiler()
    for watchlist in watchlists:
        for entity in watchlist.entities:
            compiler.entity(watchlist.name, entity)
    return compiler.build()


def _fuzzy(config: EntityConfig, words: tuple[str, ...]) -> bool:
    """The entity's `fuzzy` when set; unset, a topic name with enough consonants is fuzzy and a leader's is not."""
    if config.fuzzy is not None:
        return config.fuzzy
    keys = fuzzy_words(words) if config.kind == "topic" else None
    return keys is not None and consonants("".join(keys)) >= TOPIC_FUZZY_MIN_CONSONANTS


def _words(term: str, watchlist: str, config: EntityConfig) -> tuple[str, ...]:
    normalized = key(term)
    if not normalized:
        raise ConfigError(f"watch-list {watchlist!r}, entity {config.id!r}: {term!r} has no letters or digits")
    return tuple(normalized.split(" "))
