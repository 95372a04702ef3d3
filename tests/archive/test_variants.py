"""`variants` lists the spellings near an entity's names that its matcher misses today, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from worker.archive import ArchivedArticle
from worker.archive.variants import find_variants
from worker.config.models import WatchlistConfig

NOW = datetime(2026, 3, 12, tzinfo=UTC)


def _variants(text: str, *names: str, kind: str = "topic", fuzzy: bool = False) -> dict[str, int]:
    entity = {"id": "e", "kind": kind, "names": list(names), "fuzzy": fuzzy}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    [found] = find_variants([ArchivedArticle("https://a.example/1", "", text, NOW)], [watchlist])
    return {variant.spelling: variant.count for variant in found.variants}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("लोग क्वारंटीन में हैं। दो क्वारंटीन केंद्र बने।", "क्वारंटाइन", {"क्वारंटीन": 2}),
        ("सभी को क्वारेंटाइन किया गया", "क्वारंटाइन", {"क्वारेंटाइन": 1}),
        ("सेनेटाइजर बांटे गए", "सैनिटाइजर", {"सेनेटाइजर": 1}),
        ("यह करेंटाइन केंद्र है", "क्वारंटाइन", {"करेंटाइन": 1}),
        ("कोराना से बचें", "कोरोना", {"कोराना": 1}),
        ("तबलीगी जमात के लोग", "तब्लीगी जमात", {"तबलीगी जमात": 1}),
    ],
)
def test_a_near_spelling_the_matcher_misses_is_listed(text: str, name: str, expected: dict[str, int]) -> None:
    assert _variants(text, name) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("यह काम करना है और कराना भी", "कोरोना"),  # same skeleton as कोरोना, but everyday words
        ("लॉकडाउन और लॉकडाउनों में", "लॉकडाउन"),  # already matched: the name and its inflection
        ("क्वारंटीन केंद्र", "क्वारंटाइन"),  # with fuzzy the matcher catches it today
        ("डब्लूएचओ ने चेताया", "डब्ल्यूएचओ"),  # acronyms match in every spelling of their letters
        ("यू.एन. ने कहा", "यूएन"),
        ("देश में कोरोनावायरस के मामले", "कोरोना"),  # a topic joined with वायरस is matched
        ("राष्ट्रपति ने कहा", "क्वारंटाइन"),
    ],
)
def test_a_spelling_already_caught_or_not_near_is_not_listed(text: str, name: str) -> None:
    assert _variants(text, name, fuzzy="क्वारंटीन" in text) == {}


def test_the_example_is_the_line_around_the_spelling() -> None:
    entity = {"id": "s", "kind": "topic", "names": ["सैनिटाइजर"], "fuzzy": False}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    article = ArchivedArticle("https://a.example/1", "शीर्षक", "पहली पंक्ति\nलोगों को सेनेटाइजर दिया गया\nअंत", NOW)
    [found] = find_variants([article], [watchlist])
    [variant] = found.variants
    assert variant.example == "लोगों को सेनेटाइजर दिया गया"


def _corpus_variants(corpus_dir: Path, fuzzy: bool | None) -> set[str]:
    texts = sorted((corpus_dir / "texts").rglob("ryd1e-*.txt"))
    articles = [ArchivedArticle(path.name, "", path.read_text(encoding="utf-8"), NOW) for path in texts]
    entities = [
        {"id": "q", "kind": "topic", "names": ["क्वारंटाइन"], "fuzzy": fuzzy},
        {"id": "s", "kind": "topic", "names": ["सैनिटाइजर"], "fuzzy": fuzzy},
    ]
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": entities})
    found = find_variants(articles, [watchlist])
    assert all(v.count >= 1 and v.spelling in v.example for entity in found for v in entity.variants)
    return {variant.spelling for entity in found for variant in entity.variants}


# Spellings of the five papers that a topic typed as written misses, and the defaults catch.
PAPERS_SPELLINGS = {"क्वारंटीन", "क्वारेंटाइन", "क्वैरंटीन", "कोरेंटाइन", "करेंटाइन", "सेनेटाइजर", "सेनेटायजर"}


def test_on_the_five_papers_the_spellings_a_name_as_written_misses_are_found(corpus_dir: Path) -> None:
    assert _corpus_variants(corpus_dir, fuzzy=False) >= PAPERS_SPELLINGS


def test_on_the_five_papers_the_spellings_the_defaults_catch_are_not_listed(corpus_dir: Path) -> None:
    assert not PAPERS_SPELLINGS & _corpus_variants(corpus_dir, fuzzy=None)


def test_a_name_written_together_with_another_word_is_listed() -> None:
    assert _variants("देश में कोरोनाग्रस्त मरीज", "कोरोना") == {"कोरोनाग्रस्त": 1}


def test_a_name_of_fewer_than_three_consonants_is_not_searched() -> None:
    assert _variants("कम से कम काम किया, जिम भी गए", "किम", kind="leader") == {}
