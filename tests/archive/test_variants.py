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
        ("डब्लूएचओ ने चेताया", "डब्ल्यूएचओ", {"डब्लूएचओ": 1}),
        ("यू.एन. ने कहा", "यूएन", {"यू.एन.": 1}),
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
        ("राष्ट्रपति ने कहा", "क्वारंटाइन"),
    ],
)
def test_a_spelling_already_caught_or_not_near_is_not_listed(text: str, name: str) -> None:
    assert _variants(text, name, fuzzy="क्वारंटीन" in text) == {}


def test_the_example_is_the_line_around_the_spelling() -> None:
    entity = {"id": "q", "kind": "topic", "names": ["क्वारंटाइन"]}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    article = ArchivedArticle("https://a.example/1", "शीर्षक", "पहली पंक्ति\nयात्रियों को क्वैरंटीन किया गया\nअंत", NOW)
    [found] = find_variants([article], [watchlist])
    [variant] = found.variants
    assert variant.example == "यात्रियों को क्वैरंटीन किया गया"


def test_on_the_five_papers_the_quarantine_spellings_are_found(corpus_dir: Path) -> None:
    texts = sorted((corpus_dir / "texts").rglob("ryd1e-*.txt"))
    articles = [ArchivedArticle(path.name, "", path.read_text(encoding="utf-8"), NOW) for path in texts]
    entity = {"id": "quarantine", "kind": "topic", "names": ["क्वारंटाइन"]}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    [found] = find_variants(articles, [watchlist])
    spellings = {variant.spelling for variant in found.variants}
    assert {"क्वैरंटीन", "कोरेंटाइन"} <= spellings
    assert not {"क्वारंटीन", "क्वारेंटाइन"} & spellings  # the default fuzzy topic name catches these today
    assert all(variant.count >= 1 and variant.spelling in variant.example for variant in found.variants)


def test_a_name_written_together_with_another_word_is_listed() -> None:
    assert _variants("देश में कोरोनावायरस के मामले", "कोरोना") == {"कोरोनावायरस": 1}
