"""The judged watch-lists on the real Hindi texts of the shared corpus (read at run time, never copied here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.match.judged import matcher

WORLD_LEADERS = {"putin", "trump", "kim-jong-un", "xi", "zelensky", "biden", "netanyahu", "macron", "boris-johnson"}


def _snippets(corpus_dir: Path) -> list[dict[str, str]]:
    path = corpus_dir / "snippets" / "pages-corpus_leader-topic_snippets.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_summit_report_matches_its_leaders_and_topics(corpus_dir: Path) -> None:
    text = (corpus_dir / "seed" / "jagran-putin-kim-summit.txt").read_text(encoding="utf-8")
    found = {match.entity for match in matcher().match("", text)}
    assert found >= {"putin", "kim-jong-un", "trump", "nuclear-talks", "sanctions", "summit", "putin-kim-meeting"}


def test_wire_copy_spelling_of_trump_is_found(corpus_dir: Path) -> None:
    snippet = next(s for s in _snippets(corpus_dir) if "ट्रम्प" in s["why_useful"])
    [trump] = [match for match in matcher().match("", snippet["text"]) if match.entity == "trump"]
    assert [span.text for span in trump.spans] == ["डोनाल्ड ट्रम्प"]


def test_both_spellings_of_sanctions_in_one_text_are_counted(corpus_dir: Path) -> None:
    snippet = next(s for s in _snippets(corpus_dir) if "प्रतिबन्ध AND प्रतिबंध" in s["why_useful"])
    [sanctions] = [match for match in matcher().match("", snippet["text"]) if match.entity == "sanctions"]
    assert {span.text for span in sanctions.spans} == {"प्रतिबन्ध", "प्रतिबंध"}


def test_covid_day_reports_alert_no_world_leader(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / "texts").glob("ryd1e-covid-corpus_*.txt")):
        found = {match.entity for match in matcher().match("", path.read_text(encoding="utf-8"))}
        assert not found & WORLD_LEADERS, path.name
        assert "covid-not-cricket" in found, path.name


@pytest.mark.parametrize("folder", ["texts", "seed", "snippets"])
def test_every_span_on_real_text_is_the_original_slice(corpus_dir: Path, folder: str) -> None:
    texts = [s["text"] for s in _snippets(corpus_dir)] if folder == "snippets" else []
    texts += [path.read_text(encoding="utf-8") for path in sorted((corpus_dir / folder).glob("*.txt"))]
    assert texts
    for text in texts:
        for match in matcher().match("", text):
            assert all(span.text == text[span.start : span.end] for span in match.spans)
