"""HiNER sentences from the shared corpus, and the false-positive rate of fuzzy names on their non-person words."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from worker.config.models import WatchlistConfig
from worker.hindi.normalize import key
from worker.match import Matcher

HINER_SAMPLE = "ner/hiner_collapsed_validation_first3000.conll"
HINER_PERSONS = "ner/hiner_collapsed_validation_person_subset1000.conll"


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def token_at(self, offset: int) -> int:
        """The index of the token holding character ``offset`` of ``text``."""
        position = 0
        for index, token in enumerate(self.tokens):
            position += len(token) + 1
            if offset < position:
                return index
        return len(self.tokens) - 1


def sentences(path: Path) -> Iterator[Sentence]:
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                yield Sentence(tuple(tokens), tuple(tags))
            tokens, tags = [], []
            continue
        token, _, tag = line.partition("\t")
        tokens.append(token)
        tags.append(tag.strip())
    if tokens:
        yield Sentence(tuple(tokens), tuple(tags))


def person_names(path: Path) -> list[str]:
    """The PERSON spans of a HiNER file, each once, in first-seen order."""
    names: dict[str, None] = {}
    for sentence in sentences(path):
        current: list[str] = []
        for token, tag in [*zip(sentence.tokens, sentence.tags, strict=True), ("", "O")]:
            if tag == "I-PERSON" and current:
                current.append(token)
                continue
            if current and key(" ".join(current)):
                names[" ".join(current)] = None
            current = [token] if tag == "B-PERSON" else []
    return list(names)


@dataclass(frozen=True)
class FalsePositives:
    non_person_tokens: int
    hits: tuple[str, ...]  # the non-person words a fuzzy name matched though no name is spelled that way

    @property
    def rate(self) -> float:
        return len(self.hits) / max(1, self.non_person_tokens)


def fuzzy_false_positives(names: Sequence[str], corpus: Sequence[Sentence]) -> FalsePositives:
    """Match ``names`` with fuzzy on over the sentences; count fuzzy-only hits on words not tagged PERSON."""
    entities = [
        {"id": f"n{index}", "kind": "leader", "fuzzy": True, "names": [name]} for index, name in enumerate(names)
    ]
    matcher = Matcher.from_watchlists([WatchlistConfig(name="fuzzy", channels=["c"], entities=entities)])  # type: ignore[arg-type]
    exact = {key(name) for name in names}
    hits: list[str] = []
    for sentence in corpus:
        for match in matcher.match("", sentence.text):
            for span in match.spans:
                covered = range(sentence.token_at(span.start), sentence.token_at(span.end - 1) + 1)
                person = any(sentence.tags[index].endswith("PERSON") for index in covered)
                if not person and key(span.text) not in exact:
                    hits.append(span.text)
    non_person = sum(1 for sentence in corpus for tag in sentence.tags if not tag.endswith("PERSON"))
    return FalsePositives(non_person, tuple(hits))
