"""Extraction speed: pages per second for khabardar and plain trafilatura on the same pages, in the same run.

Both start from the page's bytes and URL, as the pipeline does. khabardar's figure includes decoding, metadata (JSON-LD,
meta tags, dates), site profiles and boilerplate filtering; trafilatura's is ``trafilatura.extract(bytes)`` with
its defaults. The runs alternate so that a slow spell of the machine costs both alike.

    python benchmarks/extraction_speed.py [--rounds N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from worker.clean import clean_html  # noqa: E402
from worker.errors import CleanError  # noqa: E402

GOLD_DIR = REPO_ROOT / "tests" / "data" / "extraction"
RECIPES_FILE = GOLD_DIR / "corpus" / "recipes.json"
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
DEFAULT_ROUNDS = 5


Page = tuple[str, bytes]  # URL (as the pipeline knows it) and the page's bytes


def load_pages(corpus: Path) -> list[Page]:
    pages = []
    for path in sorted(GOLD_DIR.glob("*.html")):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        pages.append((gold["url"], path.read_bytes()))
    if (corpus / "pages").is_dir():
        urls = {r["file"]: r["url"] for r in json.loads(RECIPES_FILE.read_text(encoding="utf-8"))["recipes"]}
        for path in sorted((corpus / "pages").glob("*.html")):
            pages.append((urls.get(path.name, ""), path.read_bytes()))
    return pages


def run_khabardar(url: str, page: bytes) -> None:
    with contextlib.suppress(CleanError):  # a page without an article costs what it costs, like any other
        clean_html(page, url=url or None)


def run_khabardar_without_url(url: str, page: bytes) -> None:
    """No URL: the site profile is found only through the page's canonical link, if it has one."""
    run_khabardar("", page)


def run_trafilatura(url: str, page: bytes) -> None:
    trafilatura.extract(page, url=url or None)


def seconds_for(run: Callable[[str, bytes], None], pages: list[Page]) -> float:
    started = time.perf_counter()
    for url, page in pages:
        run(url, page)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    pages = load_pages(args.corpus)
    runners = {
        "khabardar": run_khabardar,
        "khabardar-no-url": run_khabardar_without_url,
        "trafilatura": run_trafilatura,
    }
    for run in runners.values():
        seconds_for(run, pages[:3])  # warm-up: imports, compiled patterns, profile files
    timings: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, run in runners.items():
            timings[name].append(seconds_for(run, pages))
    megabytes = sum(len(page) for _, page in pages) / 1e6
    print(f"{len(pages)} pages ({megabytes:.1f} MB), {args.rounds} rounds, median round time")
    print(f"{'extractor':<17} {'s/round':>8} {'pages/s':>8} {'MB/s':>6}")
    rates = {}
    for name, samples in timings.items():
        median = statistics.median(samples)
        rates[name] = len(pages) / median
        print(f"{name:<17} {median:>8.2f} {rates[name]:>8.1f} {megabytes / median:>6.2f}")
    for name in ("khabardar", "khabardar-no-url"):
        print(f"{name} / trafilatura speed: {rates[name] / rates['trafilatura']:.2f}x (target >= 0.80x)")


if __name__ == "__main__":
    main()
