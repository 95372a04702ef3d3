"""Matching speed: articles/s and MB/s for watch-lists of 10, 1,000 and 10,000 names, against a regex baseline.

The articles are the corpus texts, snippets and seed (the title is the first line). The names are the PERSON
spans of the HiNER sample, then first name x surname pairs of them until there are enough, one leader entity
per name. khabardar's figure is ``Matcher.match(title, text)``: normalization, the automaton and the
per-entity logic. The baseline, measured in the same run on the same articles, is one ``regex``-module
alternation of the same names (longest first) with Devanagari-aware word boundaries, over the raw text.

    python benchmarks/match_speed.py [--corpus DIR] [--min-seconds S]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import regex

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.match.hiner import HINER_PERSONS, HINER_SAMPLE, person_names  # noqa: E402
from worker.config.models import WatchlistConfig  # noqa: E402
from worker.match import Matcher  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
SIZES = (10, 1_000, 10_000)
MIN_SECONDS_DEFAULT = 2.0
ENTITIES_PER_WATCHLIST = 500
WORD = r"[\p{L}\p{M}\p{N}]"

Article = tuple[str, str]


def load_articles(corpus: Path) -> list[Article]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((corpus / "texts").glob("*.txt"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((corpus / "seed").glob("*.txt"))]
    for path in sorted((corpus / "snippets").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [_split(text) for text in texts]


def _split(text: str) -> Article:
    title, _, body = text.strip().partition("\n")
    return title, body


def names_from_hiner(corpus: Path, count: int) -> list[str]:
    spans = person_names(corpus / HINER_PERSONS) + person_names(corpus / HINER_SAMPLE)
    names = list(dict.fromkeys(name for name in spans if len(name) > 2))
    firsts = list(dict.fromkeys(name.split()[0] for name in names if len(name.split()) > 1))
    lasts = list(dict.fromkeys(name.split()[-1] for name in names if len(name.split()) > 1))
    pairs = (f"{first} {last}" for last in lasts for first in firsts)
    seen = set(names)
    for pair in pairs:
        if len(names) >= count:
            break
        if pair not in seen:
            seen.add(pair)
            names.append(pair)
    return names[:count]


def matcher_for(names: list[str]) -> Matcher:
    entities = [{"id": f"p{index}", "kind": "leader", "names": [name]} for index, name in enumerate(names)]
    chunks = [entities[i : i + ENTITIES_PER_WATCHLIST] for i in range(0, len(entities), ENTITIES_PER_WATCHLIST)]
    lists = [WatchlistConfig(name=f"w{n}", channels=["c"], entities=chunk) for n, chunk in enumerate(chunks)]  # type: ignore[arg-type]
    return Matcher.from_watchlists(lists)


def baseline_for(names: list[str]) -> regex.Pattern[str]:
    alternation = "|".join(regex.escape(name) for name in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?<!{WORD})(?:{alternation})(?!{WORD})")


def matcher_run(matcher: Matcher) -> Callable[[Article], object]:
    return lambda article: matcher.match(*article)


def baseline_run(pattern: regex.Pattern[str]) -> Callable[[Article], object]:
    return lambda article: (pattern.findall(article[0]), pattern.findall(article[1]))


def throughput(run: Callable[[Article], object], articles: list[Article], min_seconds: float) -> float:
    """Articles per second, over whole passes through ``articles`` until ``min_seconds`` have gone by."""
    done, started = 0, time.perf_counter()
    while True:
        for article in articles:
            run(article)
        done += len(articles)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min-seconds", type=float, default=MIN_SECONDS_DEFAULT)
    args = parser.parse_args()
    articles = load_articles(args.corpus)
    megabytes = sum(len(t.encode()) + len(b.encode()) for t, b in articles) / 1e6
    print(f"{len(articles)} articles, {megabytes * 1e3:.1f} kB; names from HiNER PERSON spans\n")
    print(f"{'names':>7} {'compile s':>9} {'articles/s':>11} {'MB/s':>7} ", end="")
    print(f"{'baseline art/s':>15} {'MB/s':>7} {'speed-up':>9}")
    first = 0.0
    for size in SIZES:
        names = names_from_hiner(args.corpus, size)
        started = time.perf_counter()
        matcher = matcher_for(names)
        compile_s = time.perf_counter() - started
        ours = throughput(matcher_run(matcher), articles, args.min_seconds)
        base = throughput(baseline_run(baseline_for(names)), articles, args.min_seconds)
        first = first or ours
        per_article_mb = megabytes / len(articles)
        print(
            f"{len(names):>7} {compile_s:>9.2f} {ours:>11.1f} {ours * per_article_mb:>7.2f} "
            f"{base:>15.1f} {base * per_article_mb:>7.2f} {ours / base:>8.1f}x"
        )
    print(f"\n10,000 names run at {ours / first:.2f}x the throughput of 10 names (target >= 0.5x); ")
    print(f"speed-up over the regex baseline at 10,000 names: {ours / base:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main()
