"""The store contract, run against both implementations: the embedded SQLite file and real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from worker.store import RedisStore, SqliteStore, Store

NOW = 1_800_000_000.0
LEASE_S = 60.0
ALERT = {"id": "a1", "title": "पुतिन से मिले किम"}


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened: Store = SqliteStore(tmp_path)
    else:
        opened = RedisStore(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
    yield opened
    opened.close()


def test_mark_seen_is_true_only_the_first_time(store: Store) -> None:
    assert not store.is_seen("https://example.org/a")
    assert store.mark_seen("https://example.org/a")
    assert not store.mark_seen("https://example.org/a")
    assert store.is_seen("https://example.org/a")


def test_feed_state_round_trips_hindi_text(store: Store) -> None:
    assert store.get_feed_state("jagran") == {}
    store.put_feed_state("jagran", {"etag": '"x"', "last_title": "समाचार"})
    assert store.get_feed_state("jagran") == {"etag": '"x"', "last_title": "समाचार"}


def test_lock_is_exclusive_until_released(store: Store) -> None:
    assert store.try_lock("poll:jagran", 30)
    assert not store.try_lock("poll:jagran", 30)
    store.unlock("poll:jagran")
    assert store.try_lock("poll:jagran", 30)


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
