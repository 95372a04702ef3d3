"""`khabardar variants`: spellings in the archive near an entity's names that the matcher does not catch today.

Near means close on the fuzzy key (worker/hindi/fuzzy.py: the consonant skeleton with the vowels every spelling
keeps), word by word: within SKELETON_DISTANCE edits, fewer for short skeletons, where a vowel-blind key would
pair कोरोना with करना — so a short word must also be within one edit of the name as written; a name of fewer than
three consonants (किम, मोदी) is not searched, as its near spellings are other words. A dotted acronym
(यू.एन.) is also read as one word (यूएन), and a one-word name written together with another word
(कोरोनावायरस) is a spelling of it too. What the entity's own matcher (names, inflections, its fuzzy
setting) already catches is left out: the list is what an editor could add, with counts and an example line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from worker.archive.store import ArchivedArticle
from worker.config.models import EntityConfig, WatchlistConfig
from worker.hindi.chars import is_devanagari
from worker.hindi.fuzzy import FUZZY_MIN_CONSONANTS, consonants, fuzzy_key
from worker.hindi.normalize import Normalized, key, normalize
from worker.match import Matcher
from worker.query import parse_query, terms

SHORT_SKELETON_CHARS = 5  # a skeleton this short also needs the written word within one edit
LONG_SKELETON_CHARS = 8  # from this long, two edits on the skeleton; below, one
ACRONYM_PART_CHARS = 7  # a dotted acronym's letters (यू. एन., डब्ल्यू. एच. ओ.) are this short
EXAMPLE_CONTEXT_CHARS = 60
COMPOUND_TAIL_MIN_CHARS = 4  # a name written together with a word (कोरोनावायरस): the word is at least this long


@dataclass
class Variant:
    spelling: str  # as first seen in an article
    count: int
    example: str  # the line it was seen in, around it


@dataclass
class EntityVariants:
    watchlist: str
    entity: str
    names: list[str]
    variants: list[Variant] = field(default_factory=list)


@dataclass(frozen=True)
class _Term:
    entity: int
    words: tuple[str, ...]


class _Entity:
    def __init__(self, watchlist: str, config: EntityConfig) -> None:
        self.report = EntityVariants(watchlist, config.id, _names(config))
        today = EntityConfig(id=config.id, kind=config.kind, names=self.report.names, fuzzy=config.fuzzy)
        self.matcher = Matcher.from_watchlists([WatchlistConfig(name=watchlist, channels=["-"], entities=[today])])
        self.counts: Counter[tuple[str, ...]] = Counter()
        self.examples: dict[tuple[str, ...], tuple[str, str]] = {}

    @lru_cache(maxsize=4096)  # noqa: B019 - one per entity and run: the cache goes with it
    def caught(self, written: str) -> bool:
        return bool(self.matcher.match(written, ""))


def find_variants(articles: Iterable[ArchivedArticle], watchlists: Sequence[WatchlistConfig]) -> list[EntityVariants]:
    """Per entity of ``watchlists``, its uncaught near spellings in ``articles``, most frequent first."""
    entities = [_Entity(w.name, e) for w in watchlists for e in w.entities]
    terms_ = [_Term(n, words) for n, entity in enumerate(entities) for words in _term_words(entity.report.names)]
    scanner = _Scanner(terms_)
    for article in articles:
        for line in (article.title, *article.text.splitlines()):
            for term, phrase, normalized, start, end in scanner.scan(line):
                entity, written = entities[term.entity], normalized.original[start:end]
                if not entity.caught(written):  # as written: what the editor would add to the names
                    entity.counts[phrase] += 1
                    entity.examples.setdefault(phrase, (written, _around(line, start, end)))
    return [_report(entity) for entity in entities]


class _Scanner:
    def __init__(self, terms_: list[_Term]) -> None:
        self.terms = terms_
        self.skeletons = [[fuzzy_key(word) for word in term.words] for term in terms_]
        self.starting: dict[str, list[int]] = {}  # word -> the terms whose first word it is near (once per word)

    def scan(self, line: str) -> Iterator[tuple[_Term, tuple[str, ...], Normalized, int, int]]:
        normalized = normalize(line)
        words, spans = _words(normalized)
        for index, word in enumerate(words):
            for number in self._starting(word):
                term = self.terms[number]
                size = len(term.words)
                phrase = tuple(words[index : index + size])
                if len(phrase) == size and all(
                    _near(phrase[n], term.words[n], self.skeletons[number][n]) for n in range(1, size)
                ):
                    yield term, phrase, normalized, spans[index][0], spans[index + size - 1][1]

    def _starting(self, word: str) -> list[int]:
        found = self.starting.get(word)
        if found is None:
            found = [n for n, term in enumerate(self.terms) if self._starts(word, n)]
            self.starting[word] = found
        return found

    def _starts(self, word: str, number: int) -> bool:
        """The word is near the term's first word, or (a one-word term) begins with it written together with
        another word: कोरोनावायरस for कोरोना."""
        target = self.terms[number].words[0]
        if _near(word, target, self.skeletons[number][0]):
            return True
        if len(self.terms[number].words) > 1 or len(word) < len(target) + COMPOUND_TAIL_MIN_CHARS:
            return False
        heads = (word[: len(target) + shift] for shift in (-1, 0, 1))
        return any(_near(head, target, self.skeletons[number][0]) for head in heads)


def _words(normalized: Normalized) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of a line with their spans in the original; a dotted acronym's letters as one word too."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    parts = normalized.text.split(" ") if normalized.text else []
    for word in parts:
        words.append(word)
        spans.append(normalized.original_span(offset, offset + len(word)))
        offset += len(word) + 1
    run: list[int] = []
    for index in range(len(words) + 1):
        if index < len(words) and _dotted_part(normalized.original, words[index], spans[index][1]):
            run.append(index)
            continue
        if len(run) >= 2:
            words.append("".join(words[n] for n in run))
            spans.append((spans[run[0]][0], spans[run[-1]][1] + 1))
        run = []
    return words, spans


def _dotted_part(original: str, word: str, end: int) -> bool:
    """A letter of a dotted acronym: short, Devanagari, and followed by a full stop (यू.एन.)."""
    return len(word) <= ACRONYM_PART_CHARS and is_devanagari(word[0]) and original[end : end + 1] == "."


@lru_cache(maxsize=200_000)
def _near(word: str, target: str, skeleton: str) -> bool:
    if word == target:
        return True
    if not word or not is_devanagari(word[0]):
        return False
    limit = 1 if len(skeleton) < LONG_SKELETON_CHARS else 2
    if Levenshtein.distance(fuzzy_key(word), skeleton, score_cutoff=limit) > limit:
        return False
    return len(skeleton) > SHORT_SKELETON_CHARS or Levenshtein.distance(word, target, score_cutoff=1) <= 1


def _names(config: EntityConfig) -> list[str]:
    """What an editor wrote for the entity: its names, short names, and its query's words (not prefixes)."""
    names = [*config.names, *config.short_names]
    if config.query is not None:
        names += [term.text for term in terms(parse_query(config.query)) if term.mode != "prefix"]
    return list(dict.fromkeys(names))


def _term_words(names: list[str]) -> list[tuple[str, ...]]:
    """The names worth a search: with Devanagari, and with FUZZY_MIN_CONSONANTS consonants, as below that every
    near spelling is another word (किम: कि, कम, काम, जिम)."""
    found = [tuple(key(name).split(" ")) for name in names]
    return [
        words
        for words in dict.fromkeys(found)
        if any(word and is_devanagari(word[0]) for word in words) and consonants("".join(words)) >= FUZZY_MIN_CONSONANTS
    ]


def _around(line: str, start: int, end: int) -> str:
    before = max(0, start - EXAMPLE_CONTEXT_CHARS)
    after = min(len(line), end + EXAMPLE_CONTEXT_CHARS)
    return ("… " if before else "") + line[before:after].strip() + (" …" if after < len(line) else "")


def _report(entity: _Entity) -> EntityVariants:
    for phrase, count in entity.counts.most_common():
        spelling, example = entity.examples[phrase]
        entity.report.variants.append(Variant(spelling, count, example))
    return entity.report
