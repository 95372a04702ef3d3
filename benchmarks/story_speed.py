"""CPU per article for story assignment, and store bytes per article, with 1k, 10k and 100k articles in the window.

    .venv/bin/python benchmarks/story_speed.py [--sizes 1000,10000,100000] [--backends memory,sqlite,redis] [--runs 3]

The window is first filled with synthetic entries (random signatures and keys, spread over the 72 h window, ids
of 24 characters), then real Hindi articles from ../shared/corpus are assigned at the window's end, as copies
(they join a story) and as new text (they start one). Baselines measured in the same run: a Python set look-up
of the normalized body hash (what exact-copy detection alone costs), and a linear scan comparing an article's
signature with every entry of a 1k window (what LSH saves). The worker's CPU and the Redis server's (INFO) are shown
apart; each figure is the median of ``--runs`` runs, as the machine's other jobs move single runs.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import REDIS_URL, redis_prefix
from benchmarks._story_set import articles
from worker.stories import StoryIndex, StoryInput, assign_story
from worker.stories.entry import Entry
from worker.stories.index import MemoryIndex
from worker.stories.redis_index import RedisStoryIndex
from worker.stories.sketch import PERMUTATIONS, band_keys, jaccard, signature
from worker.stories.sqlite_index import STORIES_FILE, SqliteStoryIndex
from worker.stories.text import fingerprint

WINDOW_S = 72 * 3600.0
NOW = 1_800_000_000.0
ID_CHARS = 24
PROBES = 150


def synthetic_entries(count: int, seed: int) -> Iterator[tuple[Entry, list[int]]]:
    rng = np.random.default_rng(seed)
    for number in range(count):
        sig = rng.integers(0, 2**32, PERMUTATIONS, dtype=np.uint64).astype("<u4").tobytes()
        body, title, lede = (int(v) for v in rng.integers(1, 2**62, 3))
        at = NOW - WINDOW_S + WINDOW_S * number / count
        name = f"{number:0{ID_CHARS}d}"
        yield Entry(name, name, at, at, body, title, 300, sig), [*band_keys(sig), body, title, lede]


def fill(index: StoryIndex, count: int) -> None:
    for entry, keys in synthetic_entries(count, seed=count):
        index.add(entry, keys, None)


def probes() -> list[StoryInput]:
    real = articles(lambda day: True)[:PROBES]
    return [StoryInput(f"probe-{n}", item.title, item.text) for n, item in enumerate(real)]


def cpu_per_article_ms(index: StoryIndex, inputs: list[StoryInput], server: Callable[[], float]) -> tuple[float, float]:
    """This process's CPU, and the server's, per article assigned."""
    start, server_start = time.process_time(), server()
    for offset, story in enumerate(inputs):
        assign_story(index, story, NOW + offset)
    return (time.process_time() - start) * 1000 / len(inputs), (server() - server_start) * 1000 / len(inputs)


def memory_index_bytes(count: int) -> float:
    """Python heap per entry of the in-memory index (``khabardar cluster``, tests), measured apart: tracemalloc
    slows everything it watches."""
    tracemalloc.start()
    index = MemoryIndex(WINDOW_S)
    before = tracemalloc.get_traced_memory()[0]
    fill(index, count)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / count


@contextmanager
def backend(name: str, count: int) -> Iterator[tuple[StoryIndex, Callable[[], float], Callable[[], float]]]:
    """The index, a server CPU clock (0 where the server is this process), and store bytes in use."""
    if name == "memory":
        yield MemoryIndex(WINDOW_S), lambda: 0.0, lambda: 0.0
    elif name == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield SqliteStoryIndex(Path(folder), WINDOW_S), lambda: 0.0, lambda: _sqlite_bytes(Path(folder))
    else:
        with redis_prefix() as prefix:
            client = redis.Redis.from_url(REDIS_URL)
            yield (
                RedisStoryIndex(REDIS_URL, prefix=prefix, window_s=WINDOW_S),
                lambda: _redis_cpu_s(client),
                lambda: _redis_bytes(client, prefix),
            )
            client.close()


def _sqlite_bytes(folder: Path) -> float:
    with sqlite3.connect(folder / STORIES_FILE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        used = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
        return float(used * db.execute("PRAGMA page_size").fetchone()[0])


def _redis_cpu_s(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def _redis_bytes(client: redis.Redis, prefix: str) -> float:
    total = 0
    keys = list(client.scan_iter(match=f"{prefix}:stories:*", count=5000))
    for start in range(0, len(keys), 1000):
        pipe = client.pipeline(transaction=False)
        for key in keys[start : start + 1000]:
            pipe.memory_usage(key, samples=0)
        total += sum(size or 0 for size in pipe.execute())
    return float(total)


def baselines(inputs: list[StoryInput]) -> tuple[float, float]:
    """CPU ms per article of a set look-up of the body hash, and of a linear signature scan over 1k entries."""
    seen = {entry.body_hash for entry, _ in synthetic_entries(1000, seed=1)}
    start = time.process_time()
    for story in inputs:
        _ = fingerprint(story.title, story.text).body_hash in seen
    hashed = (time.process_time() - start) * 1000 / len(inputs)
    signatures = [entry.signature for entry, _ in synthetic_entries(1000, seed=2)]
    start = time.process_time()
    for story in inputs:
        sig = signature(fingerprint(story.title, story.text).shingles)
        _ = max(jaccard(sig, other) for other in signatures)
    return hashed, (time.process_time() - start) * 1000 / len(inputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="memory,sqlite,redis")
    parser.add_argument("--runs", type=int, default=3, help="the table shows each figure's median over the runs")
    options = parser.parse_args()
    inputs = probes()
    cells = [(name, int(size)) for name in options.backends.split(",") for size in options.sizes.split(",")]
    figures: dict[tuple[str, int], list[tuple[float, ...]]] = {cell: [] for cell in cells}
    baseline_runs = []
    for _ in range(options.runs):
        baseline_runs.append(baselines(inputs))
        for name, count in cells:
            figures[name, count].append(measure(name, count, inputs))
    hashed, scanned = (statistics.median(run[i] for run in baseline_runs) for i in range(2))
    print(f"baseline: body-hash set look-up {hashed:.3f} ms/article; linear signature scan of 1k {scanned:.3f} ms")
    print(f"CPU ms per article, median of {options.runs} runs: the worker (this process) and the Redis server's")
    print("(instance-wide, so other clients add to it); store bytes per article in the window")
    columns = ("new: worker", "server", "copy: worker", "server", "bytes")
    print(f"{'backend':<8} {'window':>8} " + " ".join(f"{column:>{len(column) + 1}}" for column in columns))
    for name, count in cells:
        new, new_server, copy, copy_server, per_article = (
            statistics.median(run[i] for run in figures[name, count]) for i in range(5)
        )
        server = name == "redis"
        print(
            f"{name:<8} {count:>8} {new:>12.3f} {_server(new_server, server):>7} {copy:>13.3f} "
            f"{_server(copy_server, server):>7} {per_article:>6.0f}"
        )


def measure(name: str, count: int, inputs: list[StoryInput]) -> tuple[float, float, float, float, float]:
    """Worker and server CPU ms per new article, then per copy, and store bytes per article, in a fresh index."""
    with backend(name, count) as (index, server_cpu, used_bytes):
        empty = used_bytes()
        fill(index, count)
        per_article = (used_bytes() - empty) / count if name != "memory" else memory_index_bytes(count)
        new = cpu_per_article_ms(index, inputs, server_cpu)
        copy = cpu_per_article_ms(index, inputs, server_cpu)  # the same texts again: each joins
    return (*new, *copy, per_article)


def _server(ms: float, measured: bool) -> str:
    return f"{ms:.3f}" if measured else "-"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
