"""The extraction gold set: every page's body and title as a reader sees them, and none of its boilerplate.

The scoring is the quality benchmark's own (benchmarks/extraction_quality.py), so the test and the printed table
can never disagree about what a page scored.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BODY_F1_MIN = 0.95
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "extraction_quality.py"
GOLD_DIR = Path(__file__).resolve().parents[1] / "data" / "extraction"
GOLD_PAGE_COUNT_MIN = 25


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_quality", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("extraction_quality", module)
    spec.loader.exec_module(module)
    return module


quality = _benchmark()
GOLD_PAGES = {page.name: page for page in quality.gold_pages()}


def test_gold_set_has_at_least_25_pages() -> None:
    assert len(GOLD_PAGES) >= GOLD_PAGE_COUNT_MIN


@pytest.mark.parametrize("name", sorted(GOLD_PAGES))
def test_gold_page_is_extracted_as_a_reader_sees_it(name: str) -> None:
    page = GOLD_PAGES[name]
    result = quality.score(page, quality.run_khabardar(page))
    assert (result.f1 >= BODY_F1_MIN, result.title_ok, result.boilerplate) == (True, True, [])


def test_real_corpus_pages_are_extracted_as_a_reader_sees_them(corpus_dir: Path) -> None:
    pages = quality.recipe_pages(corpus_dir) + quality.fundus_pages(corpus_dir) + quality.bbc_pages(corpus_dir)
    failures = {}
    for page in pages:
        result = quality.score(page, quality.run_khabardar(page))
        if result.f1 < BODY_F1_MIN or not result.title_ok or result.boilerplate:
            failures[page.name] = (round(result.f1, 3), result.title_ok, result.boilerplate)
    assert failures == {}


def test_scoring_counts_a_surviving_promo_line() -> None:
    page = GOLD_PAGES["jagran-world-summit"]
    with_promo = quality.Result(page.title, "\n\n".join([*page.paragraphs, page.boilerplate[-1]]))
    assert quality.score(page, with_promo).boilerplate == [page.boilerplate[-1]]
