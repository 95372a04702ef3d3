"""Fuzzy names must not match everyday words: measured on the non-person words of the HiNER sample."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.match.hiner import HINER_PERSONS, HINER_SAMPLE, fuzzy_false_positives, person_names, sentences
from tests.match.judged import DATA_DIR

# The leaders' names of the judged watch-lists, all with fuzzy on: at most a few words in the 59,000. (The one
# found today, नेतनयाहू, is Netanyahu himself, tagged O in that sentence of HiNER.)
LEADERS_FP_RATE_MAX = 5e-5
# Every person named in 1,000 HiNER sentences as a fuzzy name, Indian names included (बादल ~ बदल, मोहन ~ महान):
# a far harder test than a watch-list of transliterated foreign names, which fuzzy is for.
ALL_PERSONS_FP_RATE_MAX = 1.5e-3


def _leader_names() -> list[str]:
    watchlists = yaml.safe_load((DATA_DIR / "watchlists.yaml").read_text(encoding="utf-8"))
    return [name for wl in watchlists for e in wl["entities"] if e["kind"] == "leader" for name in e["names"]]


def test_fuzzy_leader_names_match_no_non_person_word(corpus_dir: Path) -> None:
    measured = fuzzy_false_positives(_leader_names(), list(sentences(corpus_dir / HINER_SAMPLE)))
    assert measured.non_person_tokens > 50_000
    assert measured.rate <= LEADERS_FP_RATE_MAX, measured.hits


def test_fuzzy_names_of_every_hiner_person_rarely_match_a_non_person_word(corpus_dir: Path) -> None:
    names = person_names(corpus_dir / HINER_PERSONS)
    measured = fuzzy_false_positives(names, list(sentences(corpus_dir / HINER_SAMPLE)))
    assert len(names) > 500
    assert measured.rate <= ALL_PERSONS_FP_RATE_MAX, measured.hits[:50]
