"""The store's flow operations, run against both stores: held alerts, digests made atomically, burst windows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from worker.store import HeldAlert, Store

NOW = 1_800_000_000.0
GROUP = "leaders/desk"
DIGEST = {"type": "digest", "watchlist": "leaders", "channel": "desk", "reason": "quiet_hours", "window": "w1"}


@pytest.fixture
def store(either_store: Store) -> Store:
    return either_store


def held(number: int, group: str = GROUP, reason: str = "quiet_hours") -> HeldAlert:
    alert = {"id": f"a{number}", "title": f"पुतिन {number}", "also_in": [], "matches": []}
    return HeldAlert(f"a{number}", group, alert, reason, NOW + number, NOW + 100)


def test_a_held_alert_takes_its_id_but_is_never_due(store: Store) -> None:
    assert store.flow_hold(held(1))
    assert not store.flow_hold(held(1))
    assert not store.outbox_add("a1", {"id": "a1"}, NOW)
    assert store.outbox_due(NOW + 10_000, 10) == []
    assert store.outbox_claim("a1", NOW + 10_000, 30) is None
    assert store.flow_held() == [held(1)]


def test_an_alert_already_in_the_outbox_is_not_held(store: Store) -> None:
    store.outbox_add("a1", {"id": "a1"}, NOW)
    assert not store.flow_hold(held(1))
    assert store.flow_held() == []


def test_held_alerts_are_listed_oldest_first_per_group(store: Store) -> None:
    for number in (3, 1, 2):
        store.flow_hold(held(number))
    store.flow_hold(held(4, group="other/desk"))
    assert [one.id for one in store.flow_held(GROUP)] == ["a1", "a2", "a3"]
    assert [one.id for one in store.flow_held()] == ["a1", "a2", "a3", "a4"]


def test_a_digest_takes_every_held_alert_of_its_group_in_one_step(store: Store) -> None:
    for number in (1, 2):
        store.flow_hold(held(number))
    store.flow_hold(held(3, group="other/desk"))
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW + 50) == "d1"
    record = store.outbox_get("d1")
    assert record is not None and record.state == "pending"
    assert record.alert == {**DIGEST, "id": "d1", "alerts": [held(1).alert, held(2).alert]}
    assert store.outbox_due(NOW + 50, 10) == ["d1"]
    assert [one.id for one in store.flow_held()] == ["a3"]
    digested = store.outbox_get("a1")
    assert digested is not None and digested.state == "digested" and digested.last_error == "in digest d1"


def test_a_second_flush_of_the_same_window_finds_nothing(store: Store) -> None:
    store.flow_hold(held(1))
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW) == "d1"
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW) is None


def test_a_late_alert_of_a_flushed_window_gets_a_digest_of_its_own(store: Store) -> None:
    store.flow_hold(held(1))
    store.flow_digest(GROUP, "d1", DIGEST, NOW)
    store.flow_hold(held(2))
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW) == "d1-2"
    record = store.outbox_get("d1-2")
    assert record is not None and [alert["id"] for alert in record.alert["alerts"]] == ["a2"]


def test_racing_flushers_make_one_digest_holding_every_alert(store: Store) -> None:
    for number in range(30):
        store.flow_hold(held(number))
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: store.flow_digest(GROUP, "d1", DIGEST, NOW), range(8)))
    assert [one for one in made if one] == ["d1"]
    record = store.outbox_get("d1")
    assert record is not None and len(record.alert["alerts"]) == 30


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([0, 1, 2], [True, True, False]),  # the third within the window is over the limit of two
        ([0, 1, 10], [True, True, True]),  # the window (10 s) has ended: the count starts again
        ([0, 9.9, 10, 11, 12], [True, True, True, True, False]),
    ],
)
def test_burst_windows_open_with_the_first_alert(store: Store, times: list[float], expected: list[bool]) -> None:
    assert [store.burst_admit(GROUP, 2, 10.0, NOW + t)[0] for t in times] == expected


def test_a_burst_window_says_when_it_ends(store: Store) -> None:
    assert store.burst_admit(GROUP, 1, 10.0, NOW) == (True, NOW + 10)
    assert store.burst_admit(GROUP, 1, 10.0, NOW + 3) == (False, NOW + 10)


def test_digest_parts_sent_are_remembered(store: Store) -> None:
    assert store.digest_parts_sent("d1") == set()
    store.mark_digest_part_sent("d1", 1)
    store.mark_digest_part_sent("d1", 1)
    store.mark_digest_part_sent("d1", 3)
    assert store.digest_parts_sent("d1") == {1, 3}


def test_a_pending_alert_can_be_held_when_claimed(store: Store) -> None:
    store.outbox_add("a1", held(1).alert, NOW)
    assert store.outbox_claim("a1", NOW, 30) is not None
    assert store.flow_hold_claimed(held(1))
    assert not store.flow_hold_claimed(held(1))  # no longer pending
    assert store.outbox_due(NOW + 10_000, 10) == []
    assert [one.id for one in store.flow_held(GROUP)] == ["a1"]
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW) == "d1"


def test_an_alert_replayed_by_hand_while_held_is_not_also_put_in_a_digest(store: Store) -> None:
    store.flow_hold(held(1))
    store.flow_hold(held(2))
    assert store.outbox_replay("a1", NOW)
    assert store.flow_digest(GROUP, "d1", DIGEST, NOW) == "d1"
    record = store.outbox_get("d1")
    assert record is not None and [alert["id"] for alert in record.alert["alerts"]] == ["a2"]
