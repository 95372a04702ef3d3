"""Channel state, against both stores: typed fields, each change one atomic step that touches only its own fields."""

from __future__ import annotations

import json

import pytest
import redis

from worker.store import ChannelState, RedisStore, Store, channel_disabled, moved_address

NOW = 1_800_000_000.25
DAY = "2027-01-15"
NEXT_DAY = "2027-01-16"
VERSION = "config-v1"
REASON = "slack channel 'desk': the platform answered 404 (no_service); disabled until its config changes"


@pytest.fixture
def store(either_store: Store) -> Store:
    return either_store


def test_a_channel_never_written_has_an_empty_state(store: Store) -> None:
    assert store.get_channel_state("desk") == {}


def test_fields_round_trip_with_their_types_and_leave_the_others_alone(store: Store) -> None:
    store.set_channel_fields("desk", {"last_error": "स्लैक ने 500 कहा", "last_error_at": NOW})
    store.set_channel_fields("desk", {"moved_from": "-4001", "moved_to": "-1004001", "moved_at": NOW + 1})
    assert store.get_channel_state("desk") == {
        "last_error": "स्लैक ने 500 कहा",
        "last_error_at": NOW,
        "moved_from": "-4001",
        "moved_to": "-1004001",
        "moved_at": NOW + 1,
    }
    assert store.get_channel_state("other") == {}


def test_sent_counts_add_up_and_today_starts_again_on_a_new_day(store: Store) -> None:
    for offset in range(3):
        store.count_channel_sent("desk", NOW + offset, DAY)
    store.count_channel_sent("desk", NOW + 86_400, NEXT_DAY)
    state = store.get_channel_state("desk")
    assert (state["sent"], state["sent_today"], state["sent_day"]) == (4, 1, NEXT_DAY)
    assert state["last_sent_at"] == NOW + 86_400


def test_holding_back_keeps_the_later_time(store: Store) -> None:
    store.hold_channel_back("desk", NOW + 30)
    store.hold_channel_back("desk", NOW + 5)  # a shorter 429 answered later must not cut the longer wait
    assert store.get_channel_state("desk")["held_back_until"] == NOW + 30
    store.hold_channel_back("desk", NOW + 60)
    assert store.get_channel_state("desk")["held_back_until"] == NOW + 60


def test_disabling_happens_once_per_config_version(store: Store) -> None:
    assert store.disable_channel("desk", REASON, NOW, VERSION)
    assert not store.disable_channel("desk", "a later error", NOW + 1, VERSION)
    state = store.get_channel_state("desk")
    assert (state["disabled"], state["disabled_reason"], state["disabled_at"]) == (True, REASON, NOW)
    assert channel_disabled(state, VERSION) and not channel_disabled(state, "config-v2")
    assert store.disable_channel("desk", "broken again", NOW + 2, "config-v2")  # the edit did not fix it
    assert channel_disabled(store.get_channel_state("desk"), "config-v2")


def test_counts_errors_and_a_disable_interleaved_keep_every_field(store: Store) -> None:
    store.count_channel_sent("desk", NOW, DAY)
    store.disable_channel("desk", REASON, NOW + 1, VERSION)
    store.count_channel_sent("desk", NOW + 2, DAY)  # a send that finished after the disable
    store.set_channel_fields("desk", {"last_error": "late 500", "last_error_at": NOW + 3})
    store.hold_channel_back("desk", NOW + 30)
    state = store.get_channel_state("desk")
    assert channel_disabled(state, VERSION) and state["disabled_reason"] == REASON
    assert (state["sent"], state["sent_today"], state["last_error"], state["held_back_until"]) == (
        2,
        2,
        "late 500",
        NOW + 30,
    )


@pytest.mark.parametrize(
    ("state", "address", "moved"),
    [
        ({"moved_from": "-4001", "moved_to": "-1004001"}, "-4001", "-1004001"),
        ({"moved_from": "-4001", "moved_to": "-1004001"}, "-5555", None),  # the config was edited since
        ({}, "-4001", None),
    ],
)
def test_a_remembered_move_applies_only_to_the_address_it_moved_from(
    state: ChannelState, address: str, moved: str | None
) -> None:
    assert moved_address(state, address) == moved


def test_redis_adopts_the_whole_record_an_earlier_version_kept(redis_url: str, redis_prefix: str) -> None:
    store = RedisStore(redis_url, prefix=redis_prefix)
    old = {"disabled": True, "disabled_reason": REASON, "config_version": VERSION, "sent": 7, "sent_day": DAY}
    client = redis.Redis.from_url(redis_url)
    client.set(f"{redis_prefix}:channel:desk", json.dumps(old, ensure_ascii=False))
    assert store.get_channel_state("desk") == old
    store.count_channel_sent("desk", NOW, DAY)
    assert store.get_channel_state("desk")["sent"] == 8
    assert not client.exists(f"{redis_prefix}:channel:desk")
    client.close()
    store.close()
