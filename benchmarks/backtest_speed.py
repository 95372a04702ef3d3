"""Backtest speed: a 20-entity watch-list over 10,000, 25,000 and 50,000 archived articles (target: 50,000 in <= 15 s).

The articles are synthetic: each is a title and some 14 sentences drawn (seeded) from the real Hindi texts of
the shared corpus, read at run time — nothing of the corpus is stored in the repository. They go into a fresh
SQLite archive in a temporary directory. The baseline, measured in the same run, is a plain pass over the same
archive that reads every article and does nothing with it: what the backtest adds on top of it is the matching.

Drawn sentences repeat their words: "mixed" and "covid" hold only some 14,000 distinct whitespace pieces however
many articles they have, which flatters the matcher's per-process caches of normalized pieces. Real news keeps
bringing new names, places, numbers and typos: its vocabulary grows as Heaps' law V = K * T^b (T tokens). For
newswire, Manning, Raghavan and Schütze, "Introduction to Information Retrieval" (2008), section 5.1.1, fit
Reuters-RCV1 (800,000 English news stories) with K = 44, b = 0.49; the corpus's own HiNER news sentences give
K = 45 at b = 0.49 for their 61,000 pieces. The "fresh" archive is "mixed" with made-up words injected (Devanagari
names and places of random syllables, numbers, dates, typos of the article's own words, some with punctuation
attached) until its distinct pieces follow that curve: about 65,000 at 10,000 articles and 140,000 at 50,000.

    python benchmarks/backtest_speed.py [--corpus DIR] [--sizes 10000,25000,50000] [--kinds mixed,covid,fresh]
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
RSS_POLL_ARTICLES = 1000  # how often the workers' peak memory is read while they run
START = datetime(2026, 3, 1, tzinfo=UTC)
HEAPS_K = 44  # Reuters-RCV1 newswire (Manning, Raghavan, Schütze 2008, section 5.1.1); HiNER's Hindi pieces give 45
HEAPS_BETA = 0.49
FRESH_MAX_PER_ARTICLE = 40  # new words one article may take (the curve overshoots the first few hundred articles)
FRESH_RECUR_PER_ARTICLE = 4  # recent made-up words used again: a new name runs through a story for a while
FRESH_RECENT_WORDS = 5000
FRESH_PUNCTUATED = 0.3  # share of made-up words with punctuation attached, as news text has it
CONSONANTS = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
VOWEL_SIGNS = ["", "", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं"]
PLACE_ENDINGS = ["पुर", "गंज", "नगर", "बाद", "गढ़", "पुरा", "खेड़ा"]
MONTHS = ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"]
AFTER = [",", "।", ")", "'", '"', ":", "?", "-"]
BEFORE = ["(", "'", '"']

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


class Fresh:
    """Made-up words injected article by article so that the archive's distinct pieces follow Heaps' law."""

    def __init__(self, k: float = HEAPS_K, seed: int = 0) -> None:
        self.k = k
        self.rng = random.Random(seed)
        self.seen: set[str] = set()  # every piece of the archive so far
        self.tokens = 0
        self.recent: list[str] = []  # the latest made-up words, some used again

    def inject(self, title: str, text: str) -> tuple[str, str]:
        words = text.split(" ")
        heading = title.split(" ")
        self.tokens += len(words) + len(heading)
        self.seen.update(words, heading)
        wanted = self.k * self.tokens**HEAPS_BETA - len(self.seen)
        added = [self.new_word(words) for _ in range(min(FRESH_MAX_PER_ARTICLE, max(0, round(wanted))))]
        if self.recent:
            added += self.rng.choices(self.recent, k=FRESH_RECUR_PER_ARTICLE)
        for word in added:
            target = heading if self.rng.random() < 1 / SENTENCES_PER_ARTICLE else words
            target.insert(self.rng.randrange(len(target) + 1), word)
        self.tokens += len(added)
        return " ".join(heading), " ".join(words)

    def new_word(self, words: list[str]) -> str:
        """A piece not in the archive yet; the first made-up words run long, as they have more to fill."""
        while True:
            word = self.rng.choice((self.name, self.name, self.place, self.number, self.date, self.typo))(words)
            if self.rng.random() < FRESH_PUNCTUATED:
                word = self.rng.choice(BEFORE) + word if self.rng.random() < 0.3 else word + self.rng.choice(AFTER)
            if word and word not in self.seen:
                self.seen.add(word)
                self.recent.append(word)
                del self.recent[:-FRESH_RECENT_WORDS]
                return word

    def name(self, _words: list[str]) -> str:
        syllables = self.rng.randint(2, 4)
        word = "".join(self.rng.choice(CONSONANTS) + self.rng.choice(VOWEL_SIGNS) for _ in range(syllables))
        if self.rng.random() < 0.2:  # a conjunct: half-letter and consonant
            at = self.rng.randrange(1, len(word) + 1)
            word = word[:at] + self.rng.choice(CONSONANTS) + "्" + self.rng.choice(CONSONANTS) + word[at:]
        return word

    def place(self, words: list[str]) -> str:
        return self.name(words) + self.rng.choice(PLACE_ENDINGS)

    def number(self, _words: list[str]) -> str:
        value = self.rng.randint(1, 10_000_000)
        form = self.rng.randrange(5)
        if form == 0:
            return f"{value:,}"
        if form == 1:
            return f"{value / 100:.2f}%"
        if form == 2:
            return f"₹{value}"
        if form == 3:
            return str(value).translate(str.maketrans("0123456789", "०१२३४५६७८९"))
        return str(value)

    def date(self, _words: list[str]) -> str:
        day, month, year = self.rng.randint(1, 31), self.rng.randint(1, 12), self.rng.randint(1990, 2030)
        if self.rng.random() < 0.5:
            return f"{day:02}/{month:02}/{year}"
        return f"{day}-{MONTHS[month - 1]}-{year}"

    def typo(self, words: list[str]) -> str:
        """One of the article's words with a letter dropped, doubled or changed."""
        word = self.rng.choice(words)
        if len(word) < 3:
            return self.name(words)
        at = self.rng.randrange(len(word))
        kind = self.rng.randrange(3)
        if kind == 0:
            return word[:at] + word[at + 1 :]
        if kind == 1:
            return word[: at + 1] + word[at:]
        return word[:at] + self.rng.choice(CONSONANTS + "ािीुूेैो") + word[at + 1 :]


def synthetic(documents: list[list[str]], count: int, seed: int, fresh: Fresh | None = None) -> list[ArchivedArticle]:
    """Articles of SENTENCES_PER_ARTICLE consecutive sentences of one document, the title from the same."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        document = rng.choice(documents)
        start = rng.randrange(len(document))
        sentences = [document[(start + n) % len(document)] for n in range(SENTENCES_PER_ARTICLE)]
        when = START + timedelta(minutes=number)
        title, text = sentences[0].rstrip(" ।"), " ".join(sentences[1:])
        if fresh is not None:
            title, text = fresh.inject(title, text)
        url = f"https://bench.example/{seed}/{number}"
        articles.append(ArchivedArticle(url, title, text, when, outlet="bench"))
    return articles


def fill(archive: Archive, documents: list[list[str]], count: int, heaps_k: float | None) -> tuple[int, int]:
    """The archive's size in bytes of title and text, and its distinct whitespace pieces. With ``heaps_k``, made-up
    words are injected to make the distinct pieces grow as heaps_k * tokens^HEAPS_BETA."""
    size, pieces = 0, set()
    injector = Fresh(heaps_k) if heaps_k is not None else None
    for start in range(0, count, INSERT_BATCH):
        batch = synthetic(documents, min(INSERT_BATCH, count - start), seed=start, fresh=injector)
        size += sum(len(a.title.encode()) + len(a.text.encode()) for a in batch)
        for article in batch:
            pieces.update(article.title.split(), article.text.split())
        archive.add_many(batch)
    return size, len(pieces)


def timed_pass(archive: Archive) -> float:
    started = time.perf_counter()
    for _article in archive.stream():
        pass
    return time.perf_counter() - started


def timed_backtest(archive: Archive, workers: int) -> tuple[float, float, int, float]:
    """Wall seconds, CPU seconds (this process and its workers), the articles matching at least one entity, and the
    worker processes' peak memory (MB; 0 with one process, which matches in this one).

    CPU seconds do not depend on what else the machine runs: on a shared machine the wall time does. Every run
    starts with empty word caches, as a `khabardar backtest` command does (worker processes start empty anyway).
    """
    _forget_words()
    started, cpu = time.perf_counter(), _cpu_s()
    matched = peak = 0.0
    for number, (_article, found, _old) in enumerate(
        parallel.matched(archive.stream(), [watchlist()], None, workers=workers)
    ):
        matched += bool(found)
        if number % RSS_POLL_ARTICLES == 0:
            peak = max(peak, children_peak_mb())
    return time.perf_counter() - started, _cpu_s() - cpu, int(matched), peak


def children_peak_mb() -> float:
    """The largest peak resident memory (VmHWM) among this process's live children, in MB."""
    pid = os.getpid()
    children = Path(f"/proc/{pid}/task/{pid}/children")
    peak = 0.0
    for child in children.read_text().split() if children.exists() else []:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:  # it ended meanwhile
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


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


def measure(
    name: str, documents: list[list[str]], sizes: list[int], heaps_k: float | None
) -> list[tuple[int, float, float]]:
    figures = []
    for count in sizes:
        with tempfile.TemporaryDirectory() as folder:
            archive = Archive(URL.create("sqlite+pysqlite", database=str(Path(folder) / "archive.sqlite3")))
            size, distinct = fill(archive, documents, count, heaps_k)
            plain = timed_pass(archive)
            one, _, _, _ = timed_backtest(archive, 1)
            cores = free_cores()
            seconds, cpu, matched, workers_mb = timed_backtest(archive, WORKERS)
            archive.close()
        figures.append((count, seconds, cpu))
        print(
            f"{name:<11} {count:>8} {distinct:>9} {size / 1e6:>6.1f} {matched / count:>8.0%} {plain:>7.2f} "
            f"{one:>9.2f} {cores:>5.1f} {seconds:>9.2f} {cpu:>7.1f} {seconds / count * 1e6:>8.0f} "
            f"{max_rss_mb():>7.0f} {workers_mb:>9.0f}"
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="10000,25000,50000")
    parser.add_argument("--kinds", default="mixed,covid,fresh")
    parser.add_argument("--heaps-k", type=float, default=HEAPS_K, help="the fresh archive's K (vocabulary scale)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    covid, general = covid_documents(args.corpus), general_documents(args.corpus)
    print(f"20-entity watch-list; articles of {SENTENCES_PER_ARTICLE} consecutive sentences of one document")
    print("mixed: HiNER's general news and the COVID papers, one document drawn at random per article")
    print("covid: the COVID papers only (the worst case: nearly every article names an entity)")
    print(
        f"fresh: mixed, with made-up words injected so distinct pieces grow as {args.heaps_k:g} * tokens^{HEAPS_BETA}"
    )
    print("pieces: distinct whitespace pieces of the archive (what the matcher's caches must learn)")
    print(f"the 1 and {WORKERS} proc columns are wall times; CPU s is the {WORKERS}-process run's CPU, all processes;")
    print(f"cores: how many cores {WORKERS} busy processes got just before that run (2.0 on an idle machine)")
    print(f"max RSS: this process's peak so far (it matches the 1-process runs); worker: the {WORKERS}-process run's")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it)\n")
    print(f"{'archive':<11} {'articles':>8} {'pieces':>9} {'MB':>6} {'matched':>8} ", end="")
    print(f"{'plain s':>7} {'1 proc s':>9} ", end="")
    print(f"cores {WORKERS} proc s   CPU s   µs/art max RSS MB worker MB")
    summary = []
    archives = {"mixed": covid + general, "covid": covid, "fresh": covid + general}
    for name in kinds:
        documents = archives[name]
        figures = measure(name, documents, sizes, args.heaps_k if name == "fresh" else None)
        (small, _, small_cpu), (large, large_s, large_cpu) = figures[0], figures[-1]
        summary.append(
            f"{name}: {large} articles in {large_s:.1f} s wall, {large_cpu:.1f} CPU s: at least "
            f"{large_cpu / WORKERS:.1f} s on {WORKERS} idle cores (target <= {TARGET_S:.0f} s); "
            f"{large / small:.0f}x the articles took {large_cpu / small_cpu:.1f}x the CPU"
        )
    print("\n" + "\n".join(summary))


if __name__ == "__main__":
    main()
