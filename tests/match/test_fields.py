"""Reading a field piece by piece gives exactly the words and original ranges of normalizing it whole."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from tests.match.judged import DATA_DIR
from worker.config.models import WatchlistConfig
from worker.hindi.normalize import normalize
from worker.match import Matcher, fields
from worker.match.fields import read_field

# Characters where normalization has rules that look at neighbours: blanks of every kind, nukta letters and the
# combining nukta, virama and the nasals before a consonant, visarga, chandrabindu, joiners, marks with no letter,
# punctuation, digits and Latin.
_SOUP = [
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u00a0",
    "\u2009",
    "\u3000",
    "क",
    "ड़",
    "ड\u093c",
    "\u093c",
    "ज़",
    "न",
    "ङ",
    "ण",
    "म",
    "\u094d",
    "\u0903",
    "\u0901",
    "\u0902",
    "ा",
    "ि",
    "\u200d",
    "\u200c",
    "\u00ad",
    "\ufeff",
    "।",
    ",",
    "-",
    "—",
    "(",
    '"',
    "'",
    "#",
    ":",
    "४",
    "7",
    "A",
    "b",
    "É",
    "e\u0301",
    "ß",
    "ट्रंप",
    "ट्रम्प",
    "नरेन्द्र",
    "किम जोंग-उन",
    "यूक्रेनः",
    "मोदीजी",
]


def _hostile(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_SOUP) for _ in range(rng.randrange(1, 40)))


def _whole(text: str) -> tuple[list[str], list[int], list[int]]:
    normalized = normalize(text)
    words = normalized.text.split(" ") if normalized.text else []
    starts, ends, at = [], [], 0
    for word in words:
        starts.append(normalized.starts[at])
        ends.append(normalized.ends[at + len(word) - 1])
        at += len(word) + 1
    return words, starts, ends


def _pieced(text: str) -> tuple[list[str], list[int], list[int]]:
    field = read_field("text", text, stems=True, fuzzy=True)
    words = field.words()
    spans = [field.original_span(number, number) for number in range(len(words))]
    return words, [start for start, _ in spans], [end for _, end in spans]


HOSTILE_TEXTS = 5000


def test_hostile_text_reads_the_same_piece_by_piece_as_whole() -> None:
    for seed in range(HOSTILE_TEXTS):
        text = _hostile(seed)
        assert _pieced(text) == _whole(text), repr(text)


def test_the_corpus_reads_the_same_piece_by_piece_as_whole(corpus_dir: Path) -> None:
    paths = sorted((corpus_dir / "texts").rglob("*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert _pieced(text) == _whole(text), path.name


def test_a_full_cache_starts_afresh_and_still_reads_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fields, "PIECE_CACHE_MAX", 2)
    monkeypatch.setattr(fields, "_cache", {})
    text = "पुतिन ने कहा, ट्रम्प आए।"
    assert _pieced(text) == _whole(text)
    assert len(fields._cache) <= 2


def test_a_long_field_finds_its_hits_words_by_their_starts_as_a_short_one_does_by_counting(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = yaml.safe_load((DATA_DIR / "watchlists.yaml").read_text(encoding="utf-8"))
    matcher = Matcher.from_watchlists([WatchlistConfig.model_validate(item) for item in raw])
    texts = [path.read_text(encoding="utf-8") for path in sorted((corpus_dir / "texts").rglob("*.txt"))]
    counted = [matcher.match(text[:200], text) for text in texts]
    assert sum(len(found) for found in counted) > 50  # the corpus names the judged entities
    monkeypatch.setattr(fields, "COUNT_MAX_CHARS", 0)
    assert [matcher.match(text[:200], text) for text in texts] == counted
