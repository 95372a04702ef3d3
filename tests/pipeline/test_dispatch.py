"""The tick's choice of feeds, on both stores: due or not, most overdue first, the batch limit, the per-host cap
shared through the store, and two beats ticking at once dispatching each feed once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from worker.config.models import FeedConfig
from worker.pipeline.dispatch import (
    POLL_EXPIRES_S,
    POLL_LEASE_S,
    TICK_INTERVAL_S,
    Dispatch,
    PollBatch,
    batch_dispatches,
    dispatch_due,
    host_of,
    lease_group,
    release_poll,
)
from worker.store import Store

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)


def feed(name: str, host: str = "khabar.example") -> FeedConfig:
    return FeedConfig.model_validate({"name": name, "url": f"https://{host}/rss/{name}.xml"})


@dataclass(frozen=True)
class Case:
    feeds: list[tuple[str, str, float | None]]  # name, host, due in seconds from now (None: never polled)
    expected: list[str]  # dispatched, in order
    limit: int = 100
    per_host_max: int = 4
    in_flight: list[tuple[str, str]] = field(default_factory=list)  # (host, feed) polls already dispatched


CASES = {
    "a feed never polled is due at once": Case([("a", "x.example", None)], ["a"]),
    "a feed due after the next tick waits": Case([("a", "x.example", TICK_INTERVAL_S + 1)], []),
    "a feed due before the next tick goes now": Case([("a", "x.example", TICK_INTERVAL_S - 1)], ["a"]),
    "the most overdue go first": Case(
        [("a", "x.example", -10), ("b", "y.example", -60), ("c", "z.example", -30)], ["b", "c", "a"]
    ),
    "the batch limit cuts the least overdue": Case(
        [("a", "x.example", -10), ("b", "y.example", -60), ("c", "z.example", -30)], ["b", "c"], limit=2
    ),
    "at most per_host_max polls of one host": Case(
        [("a", "x.example", -3), ("b", "x.example", -2), ("c", "x.example", -1), ("d", "y.example", -1)],
        ["a", "b", "d"],
        per_host_max=2,
    ),
    "polls already in flight count against their host": Case(
        [("a", "x.example", -3), ("b", "x.example", -2), ("d", "y.example", -1)],
        ["a", "d"],
        per_host_max=2,
        in_flight=[("x.example", "elsewhere")],
    ),
    "a feed already dispatched is not dispatched again": Case(
        [("a", "x.example", -3), ("b", "x.example", -2)], ["b"], in_flight=[("x.example", "a")]
    ),
    "hosts differ by port": Case(
        [("a", "x.example:8080", -3), ("b", "x.example:8081", -2)], ["a", "b"], per_host_max=1
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_tick_dispatches_the_due_feeds(store: Store, case: Case) -> None:
    feeds = [feed(name, host) for name, host, _ in case.feeds]
    for name, _, due_in_s in case.feeds:
        if due_in_s is not None:
            store.put_feed_state(name, {"next_check_at": (NOW + timedelta(seconds=due_in_s)).isoformat()})
    for host, name in case.in_flight:
        assert store.acquire_lease(lease_group(host), name, 100, POLL_LEASE_S, NOW.timestamp())
    dispatched = dispatch_due(feeds, store, NOW, limit=case.limit, per_host_max=case.per_host_max)
    assert [one.feed for one in dispatched] == case.expected


def test_a_poll_starts_at_its_due_time_and_an_overdue_one_now(store: Store) -> None:
    store.put_feed_state("soon", {"next_check_at": (NOW + timedelta(seconds=3)).isoformat()})
    store.put_feed_state("late", {"next_check_at": (NOW - timedelta(minutes=5)).isoformat()})
    starts = {one.feed: one for one in dispatch_due([feed("soon"), feed("late")], store, NOW)}
    assert starts["soon"].start_at == NOW + timedelta(seconds=3)
    assert starts["late"].start_at == NOW
    assert starts["late"].expires_at == NOW + timedelta(seconds=POLL_EXPIRES_S)


def test_a_finished_poll_frees_its_host_and_is_not_due_again(store: Store) -> None:
    feeds = [feed("a"), feed("b")]
    assert [one.feed for one in dispatch_due(feeds, store, NOW, per_host_max=1)] == ["a"]
    store.put_feed_state("a", {"next_check_at": (NOW + timedelta(minutes=5)).isoformat()})  # the poll's record
    release_poll(store, feeds[0])
    assert [one.feed for one in dispatch_due(feeds, store, NOW, per_host_max=1)] == ["b"]


def test_a_poll_that_died_frees_its_host_when_its_lease_lapses(store: Store) -> None:
    feeds = [feed("a")]
    assert dispatch_due(feeds, store, NOW)
    assert dispatch_due(feeds, store, NOW + timedelta(seconds=POLL_LEASE_S - 1)) == []
    assert [one.feed for one in dispatch_due(feeds, store, NOW + timedelta(seconds=POLL_LEASE_S + 1))] == ["a"]


def test_a_feed_polled_between_the_ticks_read_and_its_claim_is_not_dispatched(store: Store) -> None:
    """The tick reads every state, then claims; a poll that finished in between has moved the next check on."""

    class PolledMeanwhile:
        def __init__(self, inner: Store) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def acquire_lease(self, group: str, member: str, limit: int, ttl_s: float, now: float) -> bool:
            self.inner.put_feed_state(member, {"next_check_at": (NOW + timedelta(minutes=5)).isoformat()})
            return self.inner.acquire_lease(group, member, limit, ttl_s, now)

    assert dispatch_due([feed("a")], PolledMeanwhile(store), NOW) == []  # type: ignore[arg-type]
    assert store.count_leases([lease_group("khabar.example")], NOW.timestamp()) == {lease_group("khabar.example"): 0}


def test_two_beats_ticking_at_once_dispatch_each_feed_once(store_factory: Callable[[], Store]) -> None:
    feeds = [feed(f"feed-{number}", f"host-{number % 5}.example") for number in range(60)]
    beats = [store_factory(), store_factory()]  # two processes, two connections to one store
    start = threading.Barrier(len(beats))
    dispatched: list[list[str]] = [[] for _ in beats]

    def tick(index: int) -> None:
        start.wait()
        dispatched[index] = [one.feed for one in dispatch_due(feeds, beats[index], NOW, per_host_max=20)]

    threads = [threading.Thread(target=tick, args=(index,)) for index in range(len(beats))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    together = dispatched[0] + dispatched[1]
    assert sorted(together) == sorted(one.name for one in feeds)  # every feed once, none twice


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.jagran.com/rss/world.xml", "www.jagran.com"),
        ("https://WWW.Jagran.com/rss/world.xml", "www.jagran.com"),
        ("http://127.0.0.1:8080/feed.xml", "127.0.0.1:8080"),
        ("https://user:secret@khabar.example/feed.xml", "khabar.example"),
    ],
)
def test_the_host_a_feed_counts_against(url: str, host: str) -> None:
    assert host_of(url) == host


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def due(name: str, start_s: float, expires_s: float = 120.0) -> Dispatch:
    return Dispatch(name, at(start_s), at(start_s + expires_s))


# (dispatches, window_s, size, expected batches as (feeds, start s, expires s))
BATCHES = [
    pytest.param([], 0.5, 12, [], id="nothing-due"),
    pytest.param([due("a", 0)], 0.5, 12, [(("a",), 0, 120)], id="one"),
    pytest.param(
        [due("b", 0.4), due("a", 0.0), due("c", 0.5)], 0.5, 12, [(("a", "b", "c"), 0.5, 120)], id="within-window"
    ),
    pytest.param([due("a", 0.0), due("b", 0.6)], 0.5, 12, [(("a",), 0, 120), (("b",), 0.6, 120.6)], id="apart"),
    pytest.param(
        [due("a", 0.0), due("b", 0.4), due("c", 0.8)],
        0.5,
        12,
        [(("a", "b"), 0.4, 120), (("c",), 0.8, 120.8)],
        id="window-counts-from-the-first",
    ),
    pytest.param(
        [due(name, 0) for name in "abcde"],
        0.5,
        2,
        [(("a", "b"), 0, 120), (("c", "d"), 0, 120), (("e",), 0, 120)],
        id="size-cap",
    ),
    pytest.param([due("a", 0.0, expires_s=10), due("b", 0.3)], 0.5, 12, [(("a", "b"), 0.3, 10)], id="earliest-expiry"),
]


@pytest.mark.parametrize(("dispatches", "window_s", "size", "expected"), BATCHES)
def test_polls_due_close_together_share_a_task_that_starts_when_the_last_is_due(
    dispatches: list[Dispatch], window_s: float, size: int, expected: list[tuple[tuple[str, ...], float, float]]
) -> None:
    batches = batch_dispatches(dispatches, window_s=window_s, size=size)
    assert batches == [PollBatch(feeds, at(start_s), at(expires_s)) for feeds, start_s, expires_s in expected]
