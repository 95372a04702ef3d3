"""The two store operations delivery adds, against both stores: giving a claim back without counting it, and
queue turns for a rate limit."""

from __future__ import annotations

import pytest

from worker.store import Store

NOW = 1_800_000_000.0
LEASE_S = 45.0
ALERT = {"id": "a1", "title": "पुतिन से मिले किम"}


@pytest.fixture
def store(either_store: Store) -> Store:
    return either_store


def test_a_released_claim_is_not_an_attempt_and_comes_back_when_asked(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    assert store.outbox_claim("a1", NOW, LEASE_S) is not None
    store.outbox_release("a1", NOW, NOW + 2.5, "discord answered 429")
    record = store.outbox_get("a1")
    assert record is not None
    assert (record.state, record.attempts, record.next_at, record.last_error) == (
        "pending",
        0,
        NOW + 2.5,
        "discord answered 429",
    )
    assert store.outbox_due(NOW + 2, 10) == []
    assert store.outbox_due(NOW + 2.5, 10) == ["a1"]
    again = store.outbox_claim("a1", NOW + 2.5, LEASE_S)
    assert again is not None and again.attempts == 1


def test_release_leaves_a_sent_alert_alone(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    store.outbox_claim("a1", NOW, LEASE_S)
    store.outbox_sent("a1", NOW)
    store.outbox_release("a1", NOW, NOW + 5, "late")
    record = store.outbox_get("a1")
    assert record is not None and record.state == "sent"
    assert store.outbox_due(NOW + 10, 10) == []


def test_turns_are_handed_out_one_spacing_apart_from_the_earliest_asked(store: Store) -> None:
    turns = [store.reserve_slot("queue:desk", 0.44, NOW + 0.3, NOW) for _ in range(4)]
    assert turns == pytest.approx([NOW + 0.3, NOW + 0.74, NOW + 1.18, NOW + 1.62])
    later = store.reserve_slot("queue:desk", 0.44, NOW + 10, NOW)
    assert later == pytest.approx(NOW + 10)  # an idle queue hands out the time asked for


def test_queues_of_two_channels_are_apart(store: Store) -> None:
    assert store.reserve_slot("queue:a", 1.0, NOW, NOW) == pytest.approx(NOW)
    assert store.reserve_slot("queue:b", 1.0, NOW, NOW) == pytest.approx(NOW)
    assert store.reserve_slot("queue:a", 1.0, NOW, NOW) == pytest.approx(NOW + 1)
