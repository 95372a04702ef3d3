"""The store contract, run against both implementations: the embedded SQLite file and real Redis."""

from __future__ import annotations

import time

import pytest
import redis

from tests.conftest import TEST_REDIS_URL
from worker.store import RedisStore, SqliteStore, Store
from worker.store.base import DEAD_ALERT_RETENTION_S, DONE_ALERT_RETENTION_S, SEEN_RETENTION_S

NOW = 1_800_000_000.0
LEASE_S = 60.0
ALERT = {"id": "a1", "title": "पुतिन से मिले किम"}


@pytest.fixture
def store(either_store: Store) -> Store:
    return either_store


def test_mark_seen_is_true_only_the_first_time(store: Store) -> None:
    assert not store.is_seen("https://example.org/a")
    assert store.mark_seen("https://example.org/a")
    assert not store.mark_seen("https://example.org/a")
    assert store.is_seen("https://example.org/a")


def test_feed_state_round_trips_hindi_text(store: Store) -> None:
    assert store.get_feed_state("jagran") == {}
    store.put_feed_state("jagran", {"etag": '"x"', "last_title": "समाचार"})
    assert store.get_feed_state("jagran") == {"etag": '"x"', "last_title": "समाचार"}


def test_lock_is_exclusive_until_it_expires(store: Store) -> None:
    # Redis expires keys by its own clock, so the retention cases take the present as their origin
    now = time.time()
    assert store.try_lock("poll:jagran", 30, now=now)
    assert not store.try_lock("poll:jagran", 30, now=now + 1)
    assert store.try_lock("poll:amar-ujala", 30, now=now - 31)
    assert store.try_lock("poll:amar-ujala", 30, now=now)


def test_outbox_add_happens_once_per_id(store: Store) -> None:
    assert store.outbox_add("a1", ALERT, NOW)
    assert not store.outbox_add("a1", {"id": "a1", "title": "changed"}, NOW + 1)
    record = store.outbox_get("a1")
    assert record is not None and record.state == "pending" and record.alert == ALERT


def test_only_one_claim_wins_until_the_lease_expires(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    first = store.outbox_claim("a1", NOW, LEASE_S)
    assert first is not None and first.attempts == 1
    assert store.outbox_claim("a1", NOW + 1, LEASE_S) is None
    assert store.outbox_due(NOW + 1, 10) == []
    assert store.outbox_due(NOW + LEASE_S + 1, 10) == ["a1"]
    again = store.outbox_claim("a1", NOW + LEASE_S + 1, LEASE_S)
    assert again is not None and again.attempts == 2


def test_sent_alert_is_never_claimed_again(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    assert store.outbox_claim("a1", NOW, LEASE_S)
    store.outbox_sent("a1", NOW + 1)
    assert store.outbox_claim("a1", NOW + 1000, LEASE_S) is None
    assert store.outbox_due(NOW + 1000, 10) == []
    assert store.outbox_counts() == {"pending": 0, "sent": 1, "dead": 0}


def test_retry_waits_for_its_time(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    store.outbox_claim("a1", NOW, LEASE_S)
    store.outbox_retry("a1", NOW, NOW + 30, "slack answered 500")
    assert store.outbox_claim("a1", NOW + 10, LEASE_S) is None
    assert store.outbox_due(NOW + 10, 10) == []
    assert store.outbox_due(NOW + 31, 10) == ["a1"]
    record = store.outbox_claim("a1", NOW + 31, LEASE_S)
    assert record is not None and record.last_error == "slack answered 500"


def test_dead_alert_can_be_replayed(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    store.outbox_dead("a1", NOW, "gave up")
    assert [record.id for record in store.outbox_list("dead", 10)] == ["a1"]
    assert store.outbox_replay("a1", NOW + 5)
    assert store.outbox_due(NOW + 5, 10) == ["a1"]
    assert not store.outbox_replay("unknown", NOW)


@pytest.mark.parametrize(("count", "period_s", "sends_allowed_at_once"), [(1, 1.0, 1), (5, 2.0, 5), (20, 60.0, 20)])
def test_token_bucket_allows_a_burst_then_spaces_sends(
    store: Store, count: int, period_s: float, sends_allowed_at_once: int
) -> None:
    waits = [store.take_token("discord:x", count, period_s, NOW) for _ in range(sends_allowed_at_once + 1)]
    assert waits[:-1] == [0.0] * sends_allowed_at_once
    assert waits[-1] == pytest.approx(period_s / count, abs=0.001)
    assert store.take_token("discord:x", count, period_s, NOW + period_s / count) == 0.0


def test_feed_states_are_read_together_and_an_unknown_feed_is_empty(store: Store) -> None:
    store.put_feed_state("jagran", {"etag": '"x"'})
    store.put_feed_state("amar-ujala", {"consecutive_errors": 2, "last_error": "समय समाप्त"})
    assert store.get_feed_states(["jagran", "never-polled", "amar-ujala"]) == {
        "jagran": {"etag": '"x"'},
        "never-polled": {},
        "amar-ujala": {"consecutive_errors": 2, "last_error": "समय समाप्त"},
    }
    assert store.get_feed_states([]) == {}


def test_feed_states_are_read_beyond_one_statement_of_placeholders(store: Store) -> None:
    names = [f"feed-{number}" for number in range(1_200)]
    for name in names[::100]:
        store.put_feed_state(name, {"polled": True})
    states = store.get_feed_states(names)
    assert len(states) == len(names)
    assert sum(1 for state in states.values() if state) == len(names[::100])


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # (member, seconds after NOW) → admitted?  with a limit of 2 and leases of 60 s
        ([("a", 0), ("b", 0), ("c", 0)], [True, True, False]),  # the group is full
        ([("a", 0), ("a", 1)], [True, False]),  # a member holds one lease at a time
        ([("a", 0), ("b", 0), ("c", 61)], [True, True, True]),  # expired leases leave room
        ([("a", 0), ("a", 61)], [True, True]),  # ...and let their member back in
    ],
)
def test_a_lease_group_admits_each_member_once_and_at_most_its_limit(
    store: Store, steps: list[tuple[str, float]], expected: list[bool]
) -> None:
    admitted = [store.acquire_lease("host:khabar.example", member, 2, LEASE_S, NOW + at) for member, at in steps]
    assert admitted == expected


def test_a_released_lease_frees_its_place_and_groups_are_counted_apart(store: Store) -> None:
    assert store.acquire_lease("host:a.example", "one", 1, LEASE_S, NOW)
    assert store.acquire_lease("host:b.example", "two", 1, LEASE_S, NOW)
    assert store.count_leases(["host:a.example", "host:b.example", "host:c.example"], NOW) == {
        "host:a.example": 1,
        "host:b.example": 1,
        "host:c.example": 0,
    }
    assert not store.acquire_lease("host:a.example", "three", 1, LEASE_S, NOW)
    store.release_lease("host:a.example", "one")
    assert store.acquire_lease("host:a.example", "three", 1, LEASE_S, NOW)
    assert store.count_leases(["host:b.example"], NOW + LEASE_S + 1) == {"host:b.example": 0}


# --- retention: the same on both stores ---


def test_a_seen_article_is_forgotten_after_its_retention_and_not_before(store: Store) -> None:
    now = time.time()
    assert store.mark_seen("https://example.org/old", now=now - SEEN_RETENTION_S - 60)
    assert store.mark_seen("https://example.org/recent", now=now - SEEN_RETENTION_S + 3600)
    store.prune(now)
    assert not store.is_seen("https://example.org/old")
    assert store.is_seen("https://example.org/recent")
    assert store.mark_seen("https://example.org/old", now=now)


@pytest.mark.parametrize(
    ("end", "age_s", "kept"),
    [
        ("sent", DONE_ALERT_RETENTION_S - 60, True),
        ("sent", DONE_ALERT_RETENTION_S + 60, False),
        ("dead", DONE_ALERT_RETENTION_S + 60, True),  # a dead letter waits longer for someone to look at it
        ("dead", DEAD_ALERT_RETENTION_S - 60, True),
        ("dead", DEAD_ALERT_RETENTION_S + 60, False),
        ("pending", DEAD_ALERT_RETENTION_S + 60, True),  # never dropped before it is sent or given up
        ("replayed", DONE_ALERT_RETENTION_S + 60, True),  # a replayed dead letter is pending again
    ],
)
def test_a_finished_alert_is_kept_for_its_retention_and_an_unfinished_one_until_it_ends(
    store: Store, end: str, age_s: float, kept: bool
) -> None:
    now = time.time()
    at = now - age_s
    store.outbox_add("a1", ALERT, at)
    if end == "sent":
        store.outbox_sent("a1", at)
    elif end in ("dead", "replayed"):
        store.outbox_dead("a1", at, "gave up")
    if end == "replayed":
        store.outbox_replay("a1", at + 1)
    store.prune(now)
    assert (store.outbox_get("a1") is not None) is kept
    assert [record.id for record in store.outbox_list(None, 10)] == (["a1"] if kept else [])
    assert sum(store.outbox_counts().values()) == int(kept)


PAST_EVERY_END_S = 90.0  # beyond the longest of the leases below, with room for a slow test run


def test_expired_locks_leases_buckets_and_slots_leave_nothing_behind(store: Store) -> None:
    now = time.time()
    store.try_lock("poll:jagran", 30, now=now)
    store.acquire_lease("host:a.example", "jagran", 2, LEASE_S, now)
    store.take_token("discord:desk", 5, 2.0, now)
    store.reserve_slot("queue:desk", 0.5, now + 1, now)
    store.acquire_lease("host:b.example", "amar-ujala", 2, 3600, now)  # still held at the end
    assert short_lived_entries(store, now + 1) == 5
    store.prune(now + PAST_EVERY_END_S)
    assert short_lived_entries(store, now + PAST_EVERY_END_S) == 1


def short_lived_entries(store: Store, at: float) -> int:
    """How many locks, leases, buckets and slots the store still holds at ``at`` (after pruning, for SQLite)."""
    if isinstance(store, SqliteStore):
        tables = ("locks", "leases", "buckets")
        return sum(store._query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in tables)
    assert isinstance(store, RedisStore)
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        kinds = ("lock", "lease", "bucket", "slot")
        ttls_ms = [client.pttl(key) for kind in kinds for key in client.scan_iter(f"{store.prefix}:{kind}:*")]
    finally:
        client.close()
    return sum(1 for ttl_ms in ttls_ms if ttl_ms == -1 or time.time() + ttl_ms / 1000 > at)  # -1: no TTL at all
