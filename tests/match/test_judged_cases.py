"""Every judged case of tests/data/matching/cases.jsonl; known failures are strict xfails that say why."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.match.judged import Case, load_cases, problems

CASES = load_cases()
JUDGED_CASES_MIN = 300


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(reason=case.known_failure, strict=True)] if case.known_failure else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_matcher_agrees_with_the_judged_case(case: Case) -> None:
    assert problems(case) == []


def test_the_judged_set_is_large_and_covers_every_rule() -> None:
    rules = Counter(case.rule.split(".")[0] for case in CASES)
    assert len(CASES) >= JUDGED_CASES_MIN
    assert set(rules) >= {"normalize", "boundary", "morph", "query", "short_names", "exclude", "fuzzy", "title"}


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def test_every_rule_has_negative_cases_where_false_alerts_are_possible() -> None:
    negatives = {case.rule for case in CASES if not case.expected}
    assert {"boundary.substring", "exclude", "short_names", "fuzzy", "morph.topic"} <= negatives
