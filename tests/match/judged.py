"""The judged matching cases of tests/data/matching/: loading them and judging the matcher on one case."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from worker.config.models import WatchlistConfig
from worker.match import EntityMatch, Matcher

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "matching"


@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    entity: str
    expected: bool
    title: str
    text: str
    count: int | None = None
    spans: tuple[str, ...] | None = None
    known_failure: str | None = None

    @property
    def fuzzy(self) -> bool:
        return self.rule.startswith("fuzzy")


def load_cases() -> list[Case]:
    lines = (DATA_DIR / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [_case(json.loads(line)) for line in lines if line.strip()]


@cache
def matcher() -> Matcher:
    raw = yaml.safe_load((DATA_DIR / "watchlists.yaml").read_text(encoding="utf-8"))
    return Matcher.from_watchlists([WatchlistConfig.model_validate(item) for item in raw])


def found(case: Case) -> EntityMatch | None:
    return next((m for m in matcher().match(case.title, case.text) if m.entity == case.entity), None)


def problems(case: Case) -> list[str]:
    """What the matcher got wrong on this case; empty when it is right."""
    match = found(case)
    if (match is not None) != case.expected:
        return [f"expected {'a match' if case.expected else 'no match'}, got {match.to_json() if match else 'none'}"]
    wrong = []
    if match is not None and case.count is not None and match.count != case.count:
        wrong.append(f"count {match.count}, expected {case.count}")
    if match is not None and case.spans is not None and tuple(s.text for s in match.spans) != case.spans:
        wrong.append(f"spans {[s.text for s in match.spans]}, expected {list(case.spans)}")
    return wrong


def _case(raw: dict[str, Any]) -> Case:
    spans = raw.pop("spans", None)
    return Case(**raw, spans=tuple(spans) if spans is not None else None)
