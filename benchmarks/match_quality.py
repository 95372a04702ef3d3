"""Matching quality: precision and recall per rule on the judged cases of tests/data/matching/.

A case is a true positive when the entity must match and does, a false positive when it must not and does.
"exact" counts the cases whose count and spans (where the case gives them) are also right. Fuzzy cases are
reported apart from the rest, as the targets differ: precision 1.00 and recall >= 0.99 without fuzzy; recall
>= 0.90 at precision >= 0.99 with it. Known failures count as failures here.

It then measures the false-positive rate of fuzzy names on the words of the HiNER sample that are not tagged
PERSON: once for the leaders' names of the judged watch-lists, once for every person HiNER names.

    python benchmarks/match_quality.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.match.hiner import HINER_PERSONS, HINER_SAMPLE, fuzzy_false_positives, person_names, sentences  # noqa: E402
from tests.match.judged import DATA_DIR, Case, found, load_cases, problems  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


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


def print_fuzzy_false_positives(corpus: Path) -> None:
    import yaml

    sample = list(sentences(corpus / HINER_SAMPLE))
    watchlists = yaml.safe_load((DATA_DIR / "watchlists.yaml").read_text(encoding="utf-8"))
    leaders = [n for wl in watchlists for e in wl["entities"] if e["kind"] == "leader" for n in e["names"]]
    print("\nfuzzy false positives on HiNER words not tagged PERSON")
    for label, names in (
        ("judged leaders' names", leaders),
        ("every HiNER person", person_names(corpus / HINER_PERSONS)),
    ):
        measured = fuzzy_false_positives(names, sample)
        words = ", ".join(sorted(set(measured.hits))[:12])
        print(
            f"  {label:<22} {len(names):>5} names: {len(measured.hits):>3} / {measured.non_person_tokens} words", end=""
        )
        print(f" = {measured.rate:.5f}  ({words})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
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
    if (args.corpus / HINER_SAMPLE).is_file():
        print_fuzzy_false_positives(args.corpus)


if __name__ == "__main__":
    main()
