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
from worker.hindi.acronym import EVERYDAY_WORDS, acronym_letters, mixed_acronym
from worker.hindi.chars import VIRAMA, is_consonant, is_devanagari, is_independent_vowel
from worker.hindi.fuzzy import consonants, fuzzy_key, fuzzy_words, vowel_edits
from worker.hindi.normalize import key
from worker.match.views import (
    ACRONYM_SEPARATOR,
    FUZZY_SEPARATOR,
    STEM_SEPARATOR,
    acronym_patterns,
    exact_key,
    fuzzy_pattern,
    mixed_acronym_patterns,
    stem_keys,
)
from worker.query import Node, Term, TermMode, parse_query, terms

Role = Literal["name", "short", "exclude", "term"]
HONORIFIC = "जी"
# Topics are variant-tolerant by default where the name is long enough for its fuzzy key to be its own: with 3
# consonants कोरोना's key is करना's (benchmarks/variants_quality.py measures every rule of MatchRules).
TOPIC_FUZZY_MIN_CONSONANTS = 4
# English closed compounds whose first half is a topic of its own, written as one word by Hindi papers: कोरोना +
# वायरस = कोरोनावायरस (a quarter of the COVID papers' mentions of कोरोना in March 2020).
COMPOUND_TAILS = ("वायरस",)
# A one-word topic name may be written in two words (लॉकडाउन / लॉक डाउन); each half has at least this many
# consonants, so no half is a postposition or a particle (को रोना is "to cry", not कोरोना).
SPLIT_PART_MIN_CONSONANTS = 2
# The endings a topic name ending in a consonant takes, for its fuzzy key: the stem view inflects the name as
# written, and a variant inflects the same way (वेंटीलेटरों). The oblique plurals, the adjective -ी and the English
# plural that papers keep on English nouns (वेंटिलेटर्स). Not -ो: after a consonant it is a loanword's own ending
# far more often than a vocative (मास्को is not मास्क).
LOANWORD_ENDINGS = ("\u094b\u0902", "\u0947\u0902", "\u0940", "\u094d\u0938")  # ों ें ी ्स
# A fuzzy name of this many consonants also meets its spellings one kept vowel away (worker/hindi/fuzzy.py
# vowel_edits): सैनिटाइजर ~ सेनेटाइजर, क्वारंटाइन ~ करेंटाइन.
VOWEL_EDIT_MIN_CONSONANTS = 5


@dataclass(frozen=True, slots=True)
class MatchRules:
    """The spelling rules beyond a name as written; the defaults are the product's (README "Spelling defaults")."""

    topic_fuzzy_min_consonants: int | None = TOPIC_FUZZY_MIN_CONSONANTS  # `fuzzy` unset; None: never by default
    acronyms: bool = True  # every name: its letters in any spelling, dots or spaces (worker/hindi/acronym.py)
    compounds: bool = True  # topic names: joined with COMPOUND_TAILS, written solid or in two words
    vowel_edit_min_consonants: int | None = VOWEL_EDIT_MIN_CONSONANTS  # fuzzy names this long: one vowel away too


DEFAULT_RULES = MatchRules()


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
    acronyms: bool = False


class _Compiler:
    def __init__(self, rules: MatchRules) -> None:
        self.rules = rules
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
            for keys in self._fuzzy_forms(words, fuzzy_keys, inflected=mode == "stem"):
                self.add(fuzzy_pattern(keys), owner)
        quoted = owner.role == "term" and mode == "exact"  # a quoted query term is asked for as written
        if self.rules.acronyms and mode != "prefix" and not quoted:
            for pattern in _acronym_patterns(words):
                self.add(pattern, owner)

    def _fuzzy_forms(self, words: tuple[str, ...], keys: tuple[str, ...], *, inflected: bool) -> list[tuple[str, ...]]:
        """A fuzzy name's keys: as written, inflected (a topic's), and one vowel away when the name is long."""
        forms = [keys]
        if inflected and is_consonant(words[-1][-1]):
            forms += [(*keys[:-1], fuzzy_key(words[-1] + ending)) for ending in LOANWORD_ENDINGS]
        least = self.rules.vowel_edit_min_consonants
        if least is not None and consonants("".join(words)) >= least:
            forms += [edited for form in forms for edited in vowel_edits(form)]
        return forms

    def entity(self, watchlist: str, config: EntityConfig) -> None:
        index = len(self.entities)
        labels = [*config.names, *config.short_names]
        for number, term in enumerate(labels):
            role: Role = "name" if number < len(config.names) else "short"
            self.add_name(_words(term, watchlist, config), config, Owner(index, role, number))
        for number, phrase in enumerate(config.exclude):
            self.add_name(_words(phrase, watchlist, config), config, Owner(index, "exclude", number))
        query, query_terms = self.query(index, config, labels)
        self.entities.append(CompiledEntity(watchlist, config.id, config.kind, tuple(labels), query, query_terms))

    def add_name(self, words: tuple[str, ...], config: EntityConfig, owner: Owner) -> None:
        """A leader's name as written; a topic's name inflected, and with compounds its other word divisions."""
        if config.kind == "leader":
            self.add_words(words, "exact", owner, fuzzy=self._fuzzy(config, words))
            return
        self.add_words(words, "stem", owner, fuzzy=self._fuzzy(config, words))
        if not self.rules.compounds:
            return
        for joined in _joined(words):
            self.add_words(joined, "stem", owner, fuzzy=self._fuzzy(config, joined))
        for split in _splits(words):
            self.add_words(split, "stem", owner, fuzzy=False)  # each half is short: its fuzzy key would be no one's

    def _fuzzy(self, config: EntityConfig, words: tuple[str, ...]) -> bool:
        """The entity's `fuzzy` when set; unset, a topic name with enough consonants is fuzzy and a leader's is not."""
        if config.fuzzy is not None:
            return config.fuzzy
        least = self.rules.topic_fuzzy_min_consonants
        if config.kind != "topic" or least is None or fuzzy_words(words) is None:
            return False
        return consonants("".join(words)) >= least

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
        views = {pattern[0] for pattern in self.patterns}
        return Compiled(
            automaton if self.patterns else None,
            self.entities,
            STEM_SEPARATOR in views,
            FUZZY_SEPARATOR in views,
            ACRONYM_SEPARATOR in views,
        )


def compile_watchlists(watchlists: Sequence[WatchlistConfig], rules: MatchRules = DEFAULT_RULES) -> Compiled:
    compiler = _Compiler(rules)
    for watchlist in watchlists:
        for entity in watchlist.entities:
            compiler.entity(watchlist.name, entity)
    return compiler.build()


def _joined(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A topic name written as one word: its words run together (कोरोना वायरस → कोरोनावायरस), or a one-word name
    with a compound tail (कोरोना → कोरोनावायरस)."""
    if not is_devanagari(words[-1][-1]):
        return []
    if len(words) > 1:
        return [("".join(words),)]
    return [(words[0] + tail,) for tail in COMPOUND_TAILS]


def _splits(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A one-word topic name written in two words, at every letter (not inside a cluster) that leaves each half
    SPLIT_PART_MIN_CONSONANTS consonants: लॉकडाउन → लाक डाउन."""
    if len(words) > 1 or not is_devanagari(words[0][0]):
        return []
    word = words[0]
    return [
        (word[:cut], word[cut:])
        for cut in range(1, len(word))
        if (is_consonant(word[cut]) or is_independent_vowel(word[cut]))
        and word[cut - 1] != VIRAMA
        and min(consonants(word[:cut]), consonants(word[cut:])) >= SPLIT_PART_MIN_CONSONANTS
    ]


def _acronym_patterns(words: tuple[str, ...]) -> list[str]:
    """A name's patterns in the acronym view: an acronym in every word, or in some words beside others."""
    letters = acronym_letters(words)
    if letters:
        return acronym_patterns(letters)
    spelled = mixed_acronym(words)
    return mixed_acronym_patterns(words, spelled, EVERYDAY_WORDS) if spelled else []


def _words(term: str, watchlist: str, config: EntityConfig) -> tuple[str, ...]:
    normalized = key(term)
    if not normalized:
        raise ConfigError(f"watch-list {watchlist!r}, entity {config.id!r}: {term!r} has no letters or digits")
    return tuple(normalized.split(" "))
