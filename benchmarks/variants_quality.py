"""Spelling variants: which default catches what a COVID desk expects, on real papers, at precision 1.00?

The watch-list is typed as an editor would: one usual spelling per topic (क्वारंटाइन, वैक्सीन, डब्ल्यूएचओ ...).
What the desk expects is judged per paragraph of the five papers' COVID texts (read at run time from the shared
corpus, never stored here): a paragraph is expected for a topic when it names it in any spelling the papers use —
the judged spellings below, found with `khabardar variants` and read one by one (कोराना is a typo of कोरोना;
करना, वायरल, मास्को are other words). Each choice is run with the production matcher (worker/match, MatchRules):

  as typed, no rules      names as written and inflected only: no fuzzy key, no acronym or compound rule
  fuzzy: false            every topic `fuzzy: false`; the acronym and compound rules (always on) apply
  defaults                `fuzzy` left unset, every rule at its default: topic names of 4+ consonants fuzzy
  defaults - acronyms     the defaults without reading acronyms by their letters
  defaults - compounds    the defaults without compounds (कोरोना + वायरस, लॉक डाउन)
  defaults - vowel edits  the defaults without one-vowel edits of long names (सैनिटाइजर ~ सेनेटाइजर)
  fuzzy topics            every topic `fuzzy: true`
  ... + variants          the editor adds the spellings `variants` found on the tuning days, where judged right

Tuning part: 12-14 March (the rules were chosen there); held-out: 15-16 March and 1 April. Own cases: sentences
of our own writing with the hard negatives. Target: recall >= 0.98 at precision 1.00 with defaults only.

The lists after the table run the rules over more real text and show every mention a rule adds, for a reader to
judge. Acronyms: every acronym written at least twice in the HiNER sample (general news) and the COVID texts is a
name (`fuzzy: false`, its commonest spelling); so is every acronym + word pair written twice or more. Topic
defaults: the judged watch-lists' topics and the typed COVID list over the HiNER sample, against the same list with
no rules. Vowel edits: every pair of distinct words in the same texts that only the edits bring together.

    python benchmarks/variants_quality.py [--corpus DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from worker.archive import ArchivedArticle  # noqa: E402
from worker.archive.variants import find_variants  # noqa: E402
from worker.config.models import WatchlistConfig  # noqa: E402
from worker.hindi.acronym import MIN_ACRONYM_LETTERS, letters  # noqa: E402
from worker.hindi.chars import is_devanagari  # noqa: E402
from worker.hindi.fuzzy import consonants, fuzzy_key, vowel_edits  # noqa: E402
from worker.hindi.normalize import key  # noqa: E402
from worker.match import Matcher  # noqa: E402
from worker.match.compile import DEFAULT_RULES, VOWEL_EDIT_MIN_CONSONANTS, MatchRules  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
MIN_PARAGRAPH_CHARS = 40
TUNING_DAYS = ("MAR-12", "MAR-13", "MAR-14")
HINER_SAMPLE = "ner/hiner_collapsed_validation_first3000.conll"
ACRONYM_MIN_MENTIONS = 2

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
    ("देश में कोरोनावायरस के मामले बढ़े", {"corona"}),
    ("आई.सी.एम.आर. ने जांच बढ़ाई", {"icmr"}),
    ("मोदी जी के साथ बैठक हुई", set()),
    ("दुकानों पर सेनेटायजर नहीं मिला", {"sanitizer"}),
    ("वेंटीलेटरों की खरीद होगी", {"ventilator"}),
    ("बिजली का करंट लगने से मौत", set()),
    ("सैनिक टाइगर हिल पर डटे", set()),
]

NO_RULES = MatchRules(
    topic_fuzzy_min_consonants=None,
    acronyms=False,
    compounds=False,
    vowel_edit_min_consonants=None,
)


@dataclass(frozen=True)
class Choice:
    name: str
    fuzzy: bool | None  # what every topic's `fuzzy` says; None: unset
    rules: MatchRules = DEFAULT_RULES
    with_variants: bool = False


CHOICES = [
    Choice("as typed, no rules", False, NO_RULES),
    Choice("fuzzy: false", False),
    Choice("defaults", None),
    Choice("defaults - acronyms", None, MatchRules(acronyms=False)),
    Choice("defaults - compounds", None, MatchRules(compounds=False)),
    Choice("defaults - vowel edits", None, MatchRules(vowel_edit_min_consonants=None)),
    Choice("fuzzy topics", True),
    Choice("fuzzy: false + variants", False, with_variants=True),
    Choice("defaults + variants", None, with_variants=True),
]


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


def matcher(choice: Choice, extra: dict[str, list[str]]) -> Matcher:
    """The typed watch-list under ``choice``, with the accepted variants added when the choice says so."""
    entities = [
        {"id": topic, "kind": "topic", "names": typed + (extra.get(topic, []) if choice.with_variants else [])}
        | ({} if choice.fuzzy is None else {"fuzzy": choice.fuzzy})
        for topic, typed in TYPED.items()
    ]
    watchlist = WatchlistConfig.model_validate({"name": "covid", "channels": ["c"], "entities": entities})
    return Matcher.from_watchlists([watchlist], rules=choice.rules)


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


def real_texts(corpus: Path, *, covid: bool) -> list[str]:
    """The HiNER sample's sentences (general news), and with ``covid`` every line of the shared texts."""
    path = corpus / HINER_SAMPLE
    blocks = path.read_text(encoding="utf-8").split("\n\n") if path.is_file() else []
    texts = [" ".join(line.split("\t")[0] for line in block.splitlines()) for block in blocks]
    for text_path in sorted((corpus / "texts").rglob("*.txt")) if covid else ():
        texts += [line for line in text_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def added_mentions(texts: list[str], entities: list[dict[str, Any]], without: MatchRules) -> list[tuple[str, str]]:
    """Each (entity, mention as written) the default rules find and ``without`` does not."""
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": entities})
    on, off = Matcher.from_watchlists([watchlist]), Matcher.from_watchlists([watchlist], rules=without)
    added: list[tuple[str, str]] = []
    for text in texts:
        before = {(m.entity, s.start) for m in off.match("", text) for s in m.spans}
        found = [(m.entity, s) for m in on.match("", text) for s in m.spans]
        added += [(entity, s.text) for entity, s in found if (entity, s.start) not in before]
    return added


def acronym_entities(texts: list[str]) -> list[dict[str, Any]]:
    """Every acronym written at least ACRONYM_MIN_MENTIONS times, as a name in its commonest spelling."""
    spellings: dict[str, Counter[str]] = {}
    for text in texts:
        for word in key(text).split():
            spelled = letters(word)
            if spelled and len(spelled) >= MIN_ACRONYM_LETTERS:
                spellings.setdefault(spelled, Counter())[word] += 1
    frequent = {spelled: found for spelled, found in spellings.items() if found.total() >= ACRONYM_MIN_MENTIONS}
    return [
        {"id": spelled, "kind": "topic", "names": [found.most_common(1)[0][0]], "fuzzy": False}
        for spelled, found in frequent.items()
    ]


def mixed_acronym_entities(texts: list[str]) -> list[dict[str, Any]]:
    """Every acronym followed by a word (पीएम मोदी, आईआईटी दिल्ली) written ACRONYM_MIN_MENTIONS times, as a name."""
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        words = key(text).split()
        for first, second in pairwise(words):
            spelled = letters(first)
            if spelled and len(spelled) >= MIN_ACRONYM_LETTERS and letters(second) is None:
                pairs[first, second] += 1
    frequent = [pair for pair, count in pairs.items() if count >= ACRONYM_MIN_MENTIONS]
    return [
        {"id": f"mixed-{n}", "kind": "topic", "names": [" ".join(pair)], "fuzzy": False}
        for n, pair in enumerate(frequent)
    ]


def topic_entities() -> list[dict[str, Any]]:
    """The judged watch-lists' topic names and the typed COVID list, `fuzzy` unset."""
    raw = yaml.safe_load((REPO_ROOT / "tests" / "data" / "matching" / "watchlists.yaml").read_text(encoding="utf-8"))
    judged = [e for w in raw for e in w["entities"] if e["kind"] == "topic" and e.get("names")]
    typed = [{"id": f"covid-{topic}", "names": names} for topic, names in TYPED.items()]
    unique = {tuple(e["names"]): e["id"] for e in typed + judged}  # a topic in both lists once, by its names
    return [{"id": entity, "kind": "topic", "names": list(names)} for names, entity in unique.items()]


def vowel_edit_pairs(texts: list[str]) -> list[tuple[str, str]]:
    """Every pair of distinct words of the texts, long enough for vowel edits, that only the edits bring together."""
    words = {w for text in texts for w in key(text).split() if is_devanagari(w[0])}
    long_words = [w for w in words if consonants(w) >= VOWEL_EDIT_MIN_CONSONANTS]
    by_key: dict[str, set[str]] = {}
    for word in long_words:
        by_key.setdefault(fuzzy_key(word), set()).add(word)
    pairs = set()
    for word in long_words:
        for (edited,) in vowel_edits((fuzzy_key(word),)):
            pairs.update(tuple(sorted((word, other))) for other in by_key.get(edited, ()))
    return sorted(pairs)


def print_added(title: str, added: list[tuple[str, str]]) -> None:
    print(f"\n{title}: {len(added)} mentions found only by the rule (entity: mention as written)")
    for (entity, mention), count in Counter(added).most_common():
        print(f"  {entity}: {mention} ({count})")


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
    expected_counts = {name: sum(len(expected(t, gold)) for t in texts) for name, texts in parts.items()}
    print(f"paragraphs: tuning {len(tuning)}, held-out {len(held_out)}; own cases {len(own)}")
    print("expected (paragraph, topic) pairs: " + ", ".join(f"{n} {c}" for n, c in expected_counts.items()))
    print(f"variants accepted from the tuning days: {sum(map(len, added.values()))}\n")
    header = "".join(f"{name:^24}" for name in parts)
    print(f"{'choice':<24}{header}\n{'':<24}" + "   prec recall  FP  FN   " * len(parts))
    for choice in CHOICES:
        chosen = matcher(choice, added)
        cells = []
        for part, texts in parts.items():
            tally = Tally()
            for text in texts:
                want = own_gold[text] if part == "own cases" else expected(text, gold)
                tally.add(want, {match.entity for match in chosen.match("", text)})
            cells.append(tally.cell())
        print(f"{choice.name:<24}" + "   ".join(cells))
    texts = real_texts(args.corpus, covid=True)
    acronyms = acronym_entities(texts)
    print_added(
        f"acronyms: the {len(acronyms)} acronyms written twice or more in the HiNER sample and the COVID texts",
        added_mentions(texts, acronyms, MatchRules(acronyms=False)),
    )
    mixed = mixed_acronym_entities(texts)
    print_added(
        f"acronyms beside a word: the {len(mixed)} acronym + word pairs written twice or more in the same texts",
        added_mentions(texts, mixed, MatchRules(acronyms=False)),
    )
    pairs = vowel_edit_pairs(texts)
    words = len({w for text in texts for w in key(text).split()})
    print(f"\nvowel edits: {len(pairs)} pairs of words ({words} distinct in the same texts) only the edits join:")
    print("  " + ", ".join(f"{a} ~ {b}" for a, b in pairs))
    general = real_texts(args.corpus, covid=False)
    topics = topic_entities()
    print_added(
        f"topic defaults on general news: {len(topics)} topics over {len(general)} HiNER sentences, against no rules",
        added_mentions(general, topics, NO_RULES),
    )


if __name__ == "__main__":
    main()
