"""The story index on every backend: bounded by the window, robust to damaged entries, safe under races."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import redis

from tests.stories.articles import BRIDGE, BRIDGE_TITLE, respelled
from worker.stories import StoryIndex, StoryInput, assign_story
from worker.stories.entry import Entry
from worker.stories.index import GENERATIONS_PER_WINDOW, Lookup, MemoryIndex
from worker.stories.redis_index import BUCKET_KEYS, RedisStoryIndex
from worker.stories.sqlite_index import STORIES_FILE, SqliteStoryIndex

NOW = 1_773_300_000.0
WINDOW_S = 72 * 3600.0


@pytest.fixture(params=["memory", "sqlite", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "redis":
        request.getfixturevalue("redis_prefix")
    yield request.param


@pytest.fixture
def index(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> StoryIndex:
    if backend == "memory":
        return MemoryIndex(WINDOW_S)
    if backend == "sqlite":
        return SqliteStoryIndex(tmp_path, WINDOW_S)
    url, prefix = request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix")
    return RedisStoryIndex(url, prefix=prefix, window_s=WINDOW_S)


def _assign(index: StoryIndex, article_id: str, at: float, text: str = BRIDGE) -> str:
    return assign_story(index, StoryInput(article_id, BRIDGE_TITLE, text), at).story_id


def test_a_copy_within_the_window_joins_the_story(index: StoryIndex) -> None:
    _assign(index, "a", NOW)
    assert _assign(index, "b", NOW + WINDOW_S - 60, respelled(BRIDGE)) == "a"


def test_a_copy_after_the_window_starts_a_new_story(index: StoryIndex) -> None:
    _assign(index, "a", NOW)
    assert _assign(index, "b", NOW + WINDOW_S + 60) == "b"


def test_an_unreadable_entry_is_taken_as_a_new_story_and_logged(
    index: StoryIndex, backend: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    _assign(index, "a", NOW)
    _damage_every_entry(index, backend, request)
    with caplog.at_level(logging.WARNING, logger="worker.stories"):
        assert _assign(index, "b", NOW + 60) == "b"
    assert "taken as a new story" in caplog.text


def test_a_copy_added_by_another_worker_between_look_up_and_add_folds_into_one_story(index: StoryIndex) -> None:
    racing = _RacingIndex(index)
    assert _assign(racing, "mine", NOW) == "theirs"


def test_sqlite_frees_the_slots_that_left_the_window(tmp_path: Path) -> None:
    index = SqliteStoryIndex(tmp_path, WINDOW_S)
    _assign(index, "a", NOW)
    # a's keys go with its generation, up to a generation after its entry
    _assign(index, "b", NOW + WINDOW_S + WINDOW_S / GENERATIONS_PER_WINDOW + WINDOW_S / 12, "नया " + BRIDGE)
    with sqlite3.connect(tmp_path / STORIES_FILE) as db:
        assert db.execute("SELECT count(*) FROM story_entries").fetchone()[0] == 1
        assert db.execute("SELECT count(DISTINCT entry) FROM story_generation_keys").fetchone()[0] == 1


def test_redis_keys_expire_soon_after_the_window(redis_url: str, redis_prefix: str) -> None:
    index = RedisStoryIndex(redis_url, prefix=redis_prefix, window_s=3600)
    _assign(index, "a", NOW)
    client = redis.Redis.from_url(redis_url)
    keys = [key for key in client.scan_iter(match=f"{redis_prefix}:stories:*") if not key.endswith(b":seq")]
    assert keys
    assert all(0 < client.ttl(key) <= 3600 + 3600 / GENERATIONS_PER_WINDOW + 300 for key in keys)
    client.close()


def test_every_key_is_found_after_its_buckets_split_and_every_bucket_expires(redis_url: str, redis_prefix: str) -> None:
    index = RedisStoryIndex(redis_url, prefix=redis_prefix, window_s=WINDOW_S)
    for number in range(ENTRIES_SPLITTING):
        index.add(_entry(number), _keys(number), None)
    client = redis.Redis.from_url(redis_url)
    buckets = [key for key in client.scan_iter(match=f"{redis_prefix}:stories:k:*") if key[-2:] not in (b":n", b":c")]
    assert len(buckets) > ENTRIES_SPLITTING * len(_keys(0)) // BUCKET_KEYS // 2  # it did split
    assert all(client.ttl(key) > 0 for key in buckets)
    client.close()
    for number in range(ENTRIES_SPLITTING):
        for key in _keys(number):
            assert [entry.article_id for entry in index.lookup([key], NOW + 60).entries] == [f"a{number}"]


def test_a_look_up_given_a_new_entry_adds_it_only_when_no_key_is_found(index: StoryIndex) -> None:
    alone = index.lookup(_keys(1), NOW + 1, _entry(1))
    assert alone.added is not None and alone.entries == []
    sharing = index.lookup(_keys(1)[:1], NOW + 2, _entry(2))
    assert sharing.added is None and [entry.article_id for entry in sharing.entries] == ["a1"]
    assert [entry.article_id for entry in index.lookup(_keys(2), NOW + 3).entries] == []  # 2 was not added


ENTRIES_SPLITTING = 300


def _entry(number: int) -> Entry:
    return Entry(f"a{number}", f"a{number}", NOW + number, NOW + number, number + 1, 0, 0, b"")


def _keys(number: int) -> list[int]:
    """Keys spread like hashes: a multiplier keeps them distinct in their low bits."""
    return [(number * 19 + part) * 2654435761 % (1 << 63) for part in range(19)]


def test_memory_index_forgets_entries_older_than_the_window() -> None:
    index = MemoryIndex(WINDOW_S)
    _assign(index, "a", NOW)
    _assign(index, "b", NOW + WINDOW_S + 1, "नया " + BRIDGE)
    assert len(index.records) == 1


class _RacingIndex:
    """Another worker adds a copy of the same story right after this worker's first look-up."""

    def __init__(self, inner: StoryIndex) -> None:
        self.inner = inner
        self.window_s = inner.window_s
        self.raced = False

    def lookup(self, keys: Sequence[int], now: float, new: Entry | None = None) -> Lookup:
        found = self.inner.lookup(keys, now)  # never adds: the other worker comes between look-up and add
        if not self.raced:
            self.raced = True
            assign_story(self.inner, StoryInput("theirs", BRIDGE_TITLE, respelled(BRIDGE)), now)
        return found

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        return self.inner.add(entry, keys, seen_seq)


def _damage_every_entry(index: StoryIndex, backend: str, request: pytest.FixtureRequest) -> None:
    if isinstance(index, MemoryIndex):
        for number in index.records:
            index.records[number] = b"\x01garbage"
    elif isinstance(index, SqliteStoryIndex):
        with sqlite3.connect(index.path) as db:
            db.execute("UPDATE story_entries SET record = x'09ff'")
    else:
        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        prefix = request.getfixturevalue("redis_prefix")
        for key in client.scan_iter(match=f"{prefix}:stories:e:*"):
            client.set(key, b"\x01" * 40)
        client.close()


def test_a_story_takes_no_more_articles_once_its_first_is_older_than_the_window(index: StoryIndex) -> None:
    _assign(index, "a", NOW)
    assert _assign(index, "b", NOW + WINDOW_S - 60, respelled(BRIDGE)) == "a"
    assert _assign(index, "c", NOW + WINDOW_S + 60) == "c"  # b is within the window, but its story began before


def test_later_articles_of_an_alerts_story_are_remembered_once_each_in_arrival_order(index: StoryIndex) -> None:
    first = {"url": "https://a.example/1", "outlet": "अमर उजाला", "title": "पुल", "published": None}
    second = {"url": "https://b.example/2", "outlet": "लाइव हिन्दुस्तान", "title": "पुल खुला", "published": None}
    index.add_update("alert-1", first, NOW)
    index.add_update("alert-1", second, NOW + 1)
    index.add_update("alert-1", {**first, "title": "again"}, NOW + 2)
    assert index.updates("alert-1", NOW + 3) == [first, second]
    assert index.updates("alert-2", NOW + 3) == []
