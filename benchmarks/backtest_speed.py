"""Backtest speed: a 20-entity watch-list over 10,000, 25,000 and 50,000 archived articles (target: 50,000 in <= 15 s).

The articles are synthetic: each is a title and some 14 sentences drawn (seeded) from the real Hindi texts of
the shared corpus, read at run time — nothing of the corpus is stored in the repository. They go into a fresh
SQLite archive in a temporary directory. The baseline, measured in the same run, is a plain pass over the same
archive that reads every article and does nothing with it: what the backtest adds on top of it is the matching.

    python benchmarks/backtest_speed.py [--corpus DIR] [--sizes 10000,25000,50000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy.engine import URL  # noqa: E402

from tests.match.hiner import sentences as hiner_sentences  # noqa: E402
from worker.archive import Archive, ArchivedArticle, parallel  # noqa: E402
from worker.config.models import WatchlistConfig  # noqa: E402
from worker.hindi.fuzzy import fuzzy_key  # noqa: E402
from worker.match import fields  # noqa: E402
from worker.match.views import stem_form  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
SENTENCES_PER_ARTICLE = 14
MIN_SENTENCE_CHARS = 20
HINER_FILE = "hiner_collapsed_validation_first3000.conll"
INSERT_BATCH = 2000
TARGET_S = 15.0
SPIN_STEPS = 3_000_000  # about a third of a second of one core
WORKERS = 2  # the machine the target is for has 2 cores
START = datetime(2026, 3, 1, tzinfo=UTC)

LEADERS = {
    "modi": ["नरेंद्र मोदी"],
    "yogi": ["योगी आदित्यनाथ"],
    "nitish": ["नीतीश कुमार"],
    "kejriwal": ["अरविंद केजरीवाल"],
    "sitharaman": ["निर्मला सीतारमण"],
    "trump": ["डोनाल्ड ट्रंप", "डोनाल्ड ट्रम्प"],
    "harsh-vardhan": ["हर्षवर्धन"],
    "rahul": ["राहुल गांधी"],
    "gehlot": ["अशोक गहलोत"],
    "thackeray": ["उद्धव ठाकरे"],
}
TOPICS = {
    "corona": ["कोरोना", "कोविड-19"],
    "lockdown": ["लॉकडाउन"],
    "quarantine": ["क्वारंटाइन"],
    "vaccine": ["वैक्सीन", "टीका"],
    "who": ["डब्ल्यूएचओ", "विश्व स्वास्थ्य संगठन"],
    "schools": ["स्कूल"],
    "markets": ["शेयर बाजार", "सेंसेक्स"],
    "ventilator": ["वेंटिलेटर"],
    "isolation": ["आइसोलेशन"],
    "travel": ["हवाई अड्डे", "वीजा"],
}


def watchlist() -> WatchlistConfig:
    entities = [{"id": key, "kind": "leader", "names": names} for key, names in LEADERS.items()]
    entities += [{"id": key, "kind": "topic", "names": names} for key, names in TOPICS.items()]
    return WatchlistConfig(name="desk", channels=["desk"], entities=entities)  # type: ignore[arg-type]


def covid_documents(corpus: Path) -> list[list[str]]:
    """The five papers' COVID texts, each a list of its sentences."""
    paths = sorted((corpus / "texts").glob("ryd1e-*.txt")) + sorted((corpus / "texts" / "ryd1e-mar12-16").glob("*.txt"))
    documents = []
    for path in paths:
        pieces = path.read_text(encoding="utf-8").replace("\n", " । ").split("।")
        documents.append([piece.strip() + " ।" for piece in pieces if len(piece.strip()) > MIN_SENTENCE_CHARS])
    return documents


def general_documents(corpus: Path) -> list[list[str]]:
    """HiNER's sentences (general Hindi news and prose), in runs of SENTENCES_PER_ARTICLE as documents."""
    sentences = [sentence.text for sentence in hiner_sentences(corpus / "ner" / HINER_FILE)]
    step = SENTENCES_PER_ARTICLE
    return [sentences[start : start + step] for start in range(0, len(sentences) - step, step)]


def synthetic(documents: list[list[str]], count: int, seed: int) -> list[ArchivedArticle]:
    """Articles of SENTENCES_PER_ARTICLE consecutive sentences of one document, the title from the same."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        document = rng.choice(documents)
        start = rng.randrange(len(document))
        sentences = [document[(start + n) % len(document)] for n in range(SENTENCES_PER_ARTICLE)]
        when = START + timedelta(minutes=number)
        title = sentences[0].rstrip(" ।")
        url = f"https://bench.example/{seed}/{number}"
        articles.append(ArchivedArticle(url, title, " ".join(sentences[1:]), when, outlet="bench"))
    return articles


def fill(archive: Archive, documents: list[list[str]], count: int) -> int:
    size = 0
    for start in range(0, count, INSERT_BATCH):
        batch = synthetic(documents, min(INSERT_BATCH, count - start), seed=start)
        size += sum(len(a.title.encode()) + len(a.text.encode()) for a in batch)
        archive.add_many(batch)
    return size


def timed_pass(archive: Archive) -> float:
    started = time.perf_counter()
    for _article in archive.stream():
        pass
    return time.perf_counter() - started


def timed_backtest(archive: Archive, workers: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (this process and its workers), and the articles matching at least one entity.

    CPU seconds do not depend on what else the machine runs: on a shared machine the wall time does. Every run
    starts with empty word caches, as a `khabardar backtest` command does (worker processes start empty anyway).
    """
    _forget_words()
    started, cpu = time.perf_counter(), _cpu_s()
    matched = 0
    for _article, found, _old in parallel.matched(archive.stream(), [watchlist()], None, workers=workers):
        matched += bool(found)
    return time.perf_counter() - started, _cpu_s() - cpu, matched


def _forget_words() -> None:
    fields._cache.clear()
    stem_form.cache_clear()
    fuzzy_key.cache_clear()


def _cpu_s() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def spin(_: int) -> float:
    """A fixed amount of pure-Python work; its CPU-bound wall time tells how much of a core a process gets now."""
    started = time.perf_counter()
    total = 0
    for number in range(SPIN_STEPS):
        total += number % 7
    return time.perf_counter() - started


def free_cores() -> float:
    """How many cores two processes get right now: 2.0 on an idle machine, about 1 when another job takes one."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        list(pool.map(spin, range(WORKERS)))  # start both processes first
        alone = pool.submit(spin, 0).result()
        started = time.perf_counter()
        list(pool.map(spin, range(WORKERS)))
        together = time.perf_counter() - started
    return WORKERS * alone / together


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, documents: list[list[str]], sizes: list[int]) -> list[tuple[int, float, float]]:
    figures = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            archive = Archive(URL.create("sqlite+pysqlite", database=str(Path(folder) / "archive.sqlite3")))
            size = fill(archive, documents, count)
            plain = timed_pass(archive)
            one, _, _ = timed_backtest(archive, 1)
            cores = free_cores()
            seconds, cpu, matched = timed_backtest(archive, WORKERS)
            archive.close()
        figures.append((count, seconds, cpu))
        print(
            f"{name:<11} {count:>8} {size / 1e6:>6.1f} {matched / count:>8.0%} {plain:>7.2f} {one:>9.2f} "
            f"{cores:>5.1f} {seconds:>9.2f} {cpu:>7.1f} {seconds / count * 1e6:>8.0f} {max_rss_mb():>7.0f}"
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="10000,25000,50000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    covid, general = covid_documents(args.corpus), general_documents(args.corpus)
    print(f"20-entity watch-list; articles of {SENTENCES_PER_ARTICLE} consecutive sentences of one document")
    print("mixed: HiNER's general news and the COVID papers, one document drawn at random per article")
    print("covid: the COVID papers only (the worst case: nearly every article names an entity)")
    print(f"the 1 and {WORKERS} proc columns are wall times; CPU s is the {WORKERS}-process run's CPU, all processes;")
    print(f"cores: how many cores {WORKERS} busy processes got just before that run (2.0 on an idle machine)")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)\n")
    print(f"{'archive':<11} {'articles':>8} {'MB':>6} {'matched':>8} {'plain s':>7} {'1 proc s':>9} ", end="")
    print(f"cores {WORKERS} proc s   CPU s   µs/art max RSS MB")
    summary = []
    for name, documents in (("mixed", covid + general), ("covid", covid)):
        figures = measure(name, documents, sizes)
        (small, _, small_cpu), (large, large_s, large_cpu) = figures[0], figures[-1]
        summary.append(
            f"{name}: {large} articles in {large_s:.1f} s wall, {large_cpu:.1f} CPU s: at least "
            f"{large_cpu / WORKERS:.1f} s on {WORKERS} idle cores (target <= {TARGET_S:.0f} s); "
            f"{large / small:.0f}x the articles took {large_cpu / small_cpu:.1f}x the CPU"
        )
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
