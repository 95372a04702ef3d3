"""Spelling variants: which default catches what a COVID desk expects, on real papers, at precision 1.00?

The watch-list is typed as an editor would: one usual spelling per topic (क्वारंटाइन, वैक्सीन, डब्ल्यूएचओ ...).
What the desk expects is judged per paragraph of the five papers' COVID texts (read at run time from the shared
corpus, never stored here): a paragraph is expected for a topic when it names it in any spelling the papers use —
the judged spellings below, found with `khabardar variants` and read one by one (कोराना is a typo of कोरोना;
करना, वायरल, मास्को are other words). Each choice of default is then run with the production matcher:

  fuzzy: false        the defaults before: topics inflect, no spelling tolerance
  defaults (unset)    the default now, `fuzzy` left unset: the rule "fuzzy topics >=4" below
  fuzzy topics        every topic `fuzzy: true` (the fuzzy key of worker/hindi/fuzzy.py)
  fuzzy topics >=4    fuzzy only for topics whose every name has at least 4 consonants in its key
  + acronyms          and acronyms read tolerantly (simulated: each acronym name also in its other letter
                      spellings — ल्यू/लू, ई/इ, dotted — as a matcher rule for acronyms would read them)
  + variants          the editor adds the spellings `variants` found on the tuning days, where judged right

Tuning part: 12-14 March (the rule was chosen there); held-out: 15-16 March and 1 April. Own cases: sentences
of our own writing with the hard negatives. Target: recall >= 0.98 at precision 1.00 with defaults only.

    python benchmarks/variants_quality.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from worker.archive import ArchivedArticle  # noqa: E402
from worker.archive.variants import find_variants  # noqa: E402
from worker.config.models import WatchlistConfig  # noqa: E402
from worker.hindi.fuzzy import consonants, fuzzy_key  # noqa: E402
from worker.hindi.normalize import key  # noqa: E402
from worker.match import Matcher  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
MIN_PARAGRAPH_CHARS = 40
TUNING_DAYS = ("MAR-12", "MAR-13", "MAR-14")
FUZZY_MIN_CONSONANTS_FOR_TOPICS = 4

# As an editor types it: one spelling each (two for the WHO: the acronym and the name).
TYPED = {
    "corona": ["कोरोना", "कोविड-19"],
    "quarantine": ["क्वारंटाइन"],
    "lockdown": ["लॉकडाउन"],
    "vaccine": ["वैक्सीन"],
    "who": ["डब्ल्यूएचओ", "विश्व स्वास्थ्य संगठन"],
    "tablighi": ["तब्लीगी जमात"],
    "isolation": ["आइसोलेशन"],
    "sanitizer": ["सैनिटाइजर"],
    "ventilator": ["वेंटिलेटर"],
    "icmr": ["आईसीएमआर"],
    "un": ["यूएन"],
    "mask": ["मास्क"],
}
ACRONYMS = {"who": ["डब्लूएचओ", "डब्ल्यू.एच.ओ."], "icmr": ["आइसीएमआर", "आई.सी.एम.आर."], "un": ["यू.एन."]}
# Judged: every spelling of each topic the papers use (read in the corpus), and nothing else.
JUDGED = {
    "corona": ["कोरोना", "कोराना", "कोरोनो", "कोविड"],
    "quarantine": [
        "क्वारंटाइन",
        "क्वारंटीन",
        "क्वारेंटाइन",
        "क्वैरंटीन",
        "कोरेंटाइन",
        "कोरेंटीन",
        "करेंटाइन",
        "कोरेनटाइन",
        "कोरंटाइन",
        "क्वॉरेंटाइन",
        "क्वारनटीन",
    ],
    "lockdown": ["लॉकडाउन", "लॉक डाउन"],
    "vaccine": ["वैक्सीन", "वैक्सिन"],
    "who": ["डब्ल्यूएचओ", "डब्लूएचओ", "डब्ल्यू.एच.ओ.", "विश्व स्वास्थ्य संगठन"],
    "tablighi": ["तब्लीगी जमात", "तबलीगी जमात"],
    "isolation": ["आइसोलेशन", "आईसोलेशन", "आइसोलशन"],
    "sanitizer": ["सैनिटाइजर", "सैनीटाइजर", "सेनेटाइजर", "सेनिटाइजर", "सेनेटायजर", "सैनेटाइजर"],
    "ventilator": ["वेंटिलेटर", "वेंटीलेटर"],
    "icmr": ["आईसीएमआर", "आइसीएमआर", "आई.सी.एम.आर."],
    "un": ["यूएन", "यू.एन."],
    "mask": ["मास्क"],
}
INFLECTIONS = "(?:ों|ो|ें|े|ी|्स|वायरस|ियों)?"
# Our own sentences: (text, topics a desk expects). The negatives share a skeleton with a topic.
OWN_CASES = [
    ("विदेश से लौटे यात्रियों को क्वारंटीन किया गया", {"quarantine"}),
    ("जिले में कोराना के दो नए मरीज मिले", {"corona"}),
    ("डब्लूएचओ ने महामारी घोषित की", {"who"}),
    ("यू.एन. महासचिव ने अपील की", {"un"}),
    ("अस्पतालों में सैनीटाइजर और मास्क बांटे गए", {"sanitizer", "mask"}),
    ("तबलीगी जमात के लोगों की जांच", {"tablighi"}),
    ("उसे यह काम करना था और कराना भी", set()),
    ("मास्को में बर्फ गिरी", set()),
    ("वीडियो वायरल हो गया", set()),
    ("हमारी टीम ने मैच जीता", set()),
    ("कार्नर पर दुकान है", set()),
]

Choice = Callable[[str, list[str]], tuple[list[str], bool | None]]  # topic, names -> names, fuzzy


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set[str], found: set[str]) -> None:
        self.tp += len(expected & found)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    def cell(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return f"{precision:>5.3f} {recall:>6.3f} {self.fp:>3} {self.fn:>3}"


def gold_patterns() -> dict[str, re.Pattern[str]]:
    patterns = {}
    for topic, spellings in JUDGED.items():
        alternatives = "|".join(re.escape(key(spelling)) for spelling in spellings)
        patterns[topic] = re.compile(f"(?:^| )(?:{alternatives}){INFLECTIONS}(?= |$)")
    return patterns


def expected(text: str, gold: dict[str, re.Pattern[str]]) -> set[str]:
    normalized = key(text)
    return {topic for topic, pattern in gold.items() if pattern.search(normalized)}


def paragraphs(corpus: Path) -> tuple[list[str], list[str]]:
    tuning, held_out = [], []
    for path in sorted((corpus / "texts").rglob("ryd1e-covid-corpus_*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if len(line) >= MIN_PARAGRAPH_CHARS]
        (tuning if any(day in path.name for day in TUNING_DAYS) else held_out).extend(lines)
    return tuning, held_out


def as_typed(topic: str, names: list[str]) -> tuple[list[str], bool | None]:
    return names, False


def defaults(topic: str, names: list[str]) -> tuple[list[str], bool | None]:
    return names, None  # `fuzzy` unset: the matcher's default (fuzzy topic names of 4+ consonants)


def fuzzy_topics(topic: str, names: list[str]) -> tuple[list[str], bool | None]:
    return names, True


def fuzzy_long_topics(topic: str, names: list[str]) -> tuple[list[str], bool | None]:
    """Fuzzy for the names with enough consonants: the others go to a twin entity without (merged when scored)."""
    return [name for name in names if _long(name)], True


def _long(name: str) -> bool:
    return consonants("".join(fuzzy_key(word) for word in key(name).split())) >= FUZZY_MIN_CONSONANTS_FOR_TOPICS


def with_acronyms(topic: str, names: list[str]) -> tuple[list[str], bool | None]:
    names, fuzzy = fuzzy_long_topics(topic, names)
    return names + ACRONYMS.get(topic, []), fuzzy


def matcher(choice: Choice, extra: dict[str, list[str]] | None = None) -> Matcher:
    """The watch-list under ``choice``; names a choice leaves out stay in a twin list with today's defaults."""
    chosen, rest = [], []
    for topic, typed in TYPED.items():
        all_names = typed + (extra or {}).get(topic, [])
        names, fuzzy = choice(topic, all_names)
        if names:
            chosen.append({"id": topic, "kind": "topic", "names": names, "fuzzy": fuzzy})
        if set(all_names) - set(names):
            rest.append({"id": topic, "kind": "topic", "names": [n for n in all_names if n not in names]})
    lists = [{"name": "covid", "channels": ["c"], "entities": chosen}]
    lists += [{"name": "twin", "channels": ["c"], "entities": rest}] if rest else []
    return Matcher.from_watchlists([WatchlistConfig.model_validate(item) for item in lists])


def accepted_variants(texts: list[str]) -> dict[str, list[str]]:
    """What `variants` suggests on the tuning days, kept where an editor would judge it right."""
    watchlist = WatchlistConfig.model_validate(
        {
            "name": "covid",
            "channels": ["c"],
            "entities": [{"id": t, "kind": "topic", "names": n} for t, n in TYPED.items()],
        }
    )
    now = datetime.now(UTC)
    articles = [ArchivedArticle(f"p{n}", "", text, now) for n, text in enumerate(texts)]
    gold = gold_patterns()
    return {
        found.entity: [v.spelling for v in found.variants if found.entity in expected(v.spelling, gold)]
        for found in find_variants(articles, [watchlist])
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    gold = gold_patterns()
    tuning, held_out = paragraphs(args.corpus)
    own = [text for text, _ in OWN_CASES]
    own_gold = {text: topics for text, topics in OWN_CASES}
    parts = {"tuning": tuning, "held-out": held_out, "own cases": own}
    added = accepted_variants(tuning)
    choices = [
        ("fuzzy: false", matcher(as_typed)),
        ("defaults (unset)", matcher(defaults)),
        ("fuzzy topics", matcher(fuzzy_topics)),
        ("fuzzy topics >=4", matcher(fuzzy_long_topics)),
        ("fuzzy >=4 + acronyms", matcher(with_acronyms)),
        ("fuzzy: false + variants", matcher(as_typed, added)),
        ("defaults + variants", matcher(defaults, added)),
    ]
    expected_counts = {name: sum(len(expected(t, gold)) for t in texts) for name, texts in parts.items()}
    print(f"paragraphs: tuning {len(tuning)}, held-out {len(held_out)}; own cases {len(own)}")
    print("expected (paragraph, topic) pairs: " + ", ".join(f"{n} {c}" for n, c in expected_counts.items()))
    print(f"variants accepted from the tuning days: {sum(map(len, added.values()))}\n")
    header = "".join(f"{name:^24}" for name in parts)
    print(f"{'choice':<24}{header}\n{'':<24}" + "   prec recall  FP  FN   " * len(parts))
    for name, chosen in choices:
        cells = []
        for part, texts in parts.items():
            tally = Tally()
            for text in texts:
                want = own_gold[text] if part == "own cases" else expected(text, gold)
                tally.add(want, {match.entity for match in chosen.match("", text)})
            cells.append(tally.cell())
        print(f"{name:<24}" + "   ".join(cells))


if __name__ == "__main__":
    main()
