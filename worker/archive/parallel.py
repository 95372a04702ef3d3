"""Matching archived articles in worker processes: the reading and tallying stay in the calling process.

The calling process only reads rows and hands out their title and text, in batches of BATCH_ARTICLES, at most
IN_FLIGHT_BATCHES_PER_WORKER per worker at a time, coming back in order: memory holds those batches, whatever
the size of the archive. Each worker compiles the watch-lists once and runs the prefilter and then the matcher on
what the prefilter lets through; both keep their word caches for the whole run, so every worker learns the
archive's vocabulary once. (The prefilter used to run in the reading process: with the matcher's pieces cached it
became the bottleneck, one process busy while the others waited.) With one worker, or less than one whole batch
to read, everything runs in the calling process (starting processes would cost more than it saves).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from worker.archive.prefilter import Prefilter
from worker.archive.store import ArchivedArticle
from worker.config.models import WatchlistConfig
from worker.match import EntityMatch, Matcher
from worker.match.compile import compile_watchlists

BATCH_ARTICLES = 250
IN_FLIGHT_BATCHES_PER_WORKER = 12  # lets the reader run ahead of the workers: 6,000 articles (~25 MB) at most
PREFILTER_SAMPLE_ARTICLES = 500
PREFILTER_WORTH_SKIPPED = 0.25  # a share of the articles sampled
PREFILTER_REST_ARTICLES = 5000

Matched = tuple[ArchivedArticle, list[EntityMatch], list[EntityMatch] | None]
_Job = tuple[str, str]  # title, text
_Results = list[tuple[list[EntityMatch], list[EntityMatch] | None]]


class Run:
    """One config's matcher (and the old config's, when comparing), each behind its prefilter."""

    def __init__(self, watchlists: Sequence[WatchlistConfig], against: Sequence[WatchlistConfig] | None) -> None:
        self.new = _Side(watchlists)
        self.old = _Side(against) if against is not None else None

    def match(self, jobs: list[_Job]) -> _Results:
        old = self.old
        return [
            (self.new.match(title, text), old.match(title, text) if old is not None else None) for title, text in jobs
        ]


class _Side:
    """The matcher behind the prefilter, which stands aside while it skips too few articles to pay for itself.

    The prefilter costs about a quarter of what matching an article it would skip costs (0.04 against 0.16 ms):
    where nearly every article names an entity it is pure cost. So its verdicts are counted over each
    PREFILTER_SAMPLE_ARTICLES; when it skipped fewer than PREFILTER_WORTH_SKIPPED of them, the next
    PREFILTER_REST_ARTICLES are matched without it, then it is tried again. The results are the matcher's either way.
    """

    def __init__(self, watchlists: Sequence[WatchlistConfig]) -> None:
        compiled = compile_watchlists(watchlists)
        self.matcher = Matcher(compiled)
        self.prefilter = Prefilter(compiled)
        self.resting = 0  # articles still to match without the prefilter
        self._sampled = self._skipped = 0

    def match(self, title: str, text: str) -> list[EntityMatch]:
        if self.resting:
            self.resting -= 1
            return self.matcher.match(title, text)
        may = self.prefilter.may_match(title, text)
        self._count(skipped=not may)
        return self.matcher.match(title, text) if may else []

    def _count(self, *, skipped: bool) -> None:
        self._sampled += 1
        self._skipped += skipped
        if self._sampled == PREFILTER_SAMPLE_ARTICLES:
            if self._skipped < PREFILTER_WORTH_SKIPPED * self._sampled:
                self.resting = PREFILTER_REST_ARTICLES
            self._sampled = self._skipped = 0


def matched(
    articles: Iterable[ArchivedArticle],
    watchlists: Sequence[WatchlistConfig],
    against: Sequence[WatchlistConfig] | None,
    *,
    workers: int,
) -> Iterator[Matched]:
    """Each article with its matches under ``watchlists`` (and ``against``, else None), in the order read."""
    batches = _batches(iter(articles))
    first = next(batches, [])
    if workers <= 1 or len(first) < BATCH_ARTICLES:
        run = Run(watchlists, against)
        for batch in _chain(first, batches):
            yield from _zipped(batch, run.match(_jobs(batch)))
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process that holds database connections
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(watchlists, against)) as pool:
        pending: deque[tuple[list[ArchivedArticle], Future[_Results]]] = deque()
        for batch in _chain(first, batches):
            pending.append((batch, pool.submit(_match_jobs, _jobs(batch))))
            if len(pending) >= workers * IN_FLIGHT_BATCHES_PER_WORKER:
                done, future = pending.popleft()
                yield from _zipped(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from _zipped(done, future.result())


def _batches(articles: Iterator[ArchivedArticle]) -> Iterator[list[ArchivedArticle]]:
    while batch := list(islice(articles, BATCH_ARTICLES)):
        yield batch


def _chain(first: list[ArchivedArticle], rest: Iterator[list[ArchivedArticle]]) -> Iterator[list[ArchivedArticle]]:
    if first:
        yield first
    yield from rest


def _jobs(batch: list[ArchivedArticle]) -> list[_Job]:
    return [(article.title, article.text) for article in batch]


def _zipped(batch: list[ArchivedArticle], results: _Results) -> Iterator[Matched]:
    for article, (found, before) in zip(batch, results, strict=True):
        yield article, found, before


_worker_run: Run | None = None


def _start(watchlists: Sequence[WatchlistConfig], against: Sequence[WatchlistConfig] | None) -> None:
    global _worker_run
    _worker_run = Run(watchlists, against)


def _match_jobs(jobs: list[_Job]) -> _Results:
    assert _worker_run is not None, "the worker's initializer compiles the watch-lists"
    return _worker_run.match(jobs)
