"""Matching quality: precision and recall per rule on the judged cases of tests/data/matching/.

A case is a true positive when the entity must match and does, a false positive when it must not and does.
"exact" counts the cases whose count and spans (where the case gives them) are also right. Fuzzy cases are
reported apart from the rest, as the targets differ: precision 1.00 and recall >= 0.99 without fuzzy; recall
>= 0.90 at precision >= 0.99 with it. Known failures count as failures here.

    python benchmarks/match_quality.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.match.judged import Case, found, load_cases, problems  # noqa: E402


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    exact: int = 0

    def add(self, case: Case) -> None:
        matched = found(case) is not None
        if case.expected:
            self.tp, self.fn = self.tp + matched, self.fn + (not matched)
        else:
            self.fp, self.tn = self.fp + matched, self.tn + (not matched)
        self.exact += not problems(case)

    @property
    def cases(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def row(self, name: str) -> str:
        precision = f"{self.tp / (self.tp + self.fp):.3f}" if self.tp + self.fp else "  -  "
        recall = f"{self.tp / (self.tp + self.fn):.3f}" if self.tp + self.fn else "  -  "
        counts = f"{self.cases:>5} {self.tp:>4} {self.fp:>4} {self.fn:>4} {self.tn:>4}"
        return f"{name:<24}{counts} {precision:>9} {recall:>7} {self.exact:>5}/{self.cases:<4}"


HEADER = (
    f"{'rule':<24}{'cases':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} {'precision':>9} {'recall':>7} {'exact':>10}"
)


def main() -> None:
    cases = load_cases()
    by_rule: dict[str, Tally] = defaultdict(Tally)
    plain, fuzzy = Tally(), Tally()
    for case in cases:
        by_rule[case.rule].add(case)
        (fuzzy if case.fuzzy else plain).add(case)
    print(HEADER)
    for rule in sorted(by_rule):
        print(by_rule[rule].row(rule))
    print("-" * len(HEADER))
    print(plain.row("overall (not fuzzy)"))
    print(fuzzy.row("overall (fuzzy)"))
    failing = [case for case in cases if problems(case)]
    print(f"\n{len(failing)} of {len(cases)} cases still wrong:")
    for case in failing:
        print(f"  {case.id}: {'; '.join(problems(case))}\n    why: {case.known_failure or 'not yet explained'}")


if __name__ == "__main__":
    main()
