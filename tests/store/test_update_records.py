"""The store contract for updates of sent alerts, on both stores: a receipt kept with a sent record, and an update
record made pending again (``outbox_rearm``) each time there is more to show, never twice at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from worker.store import SqliteStore, Store

NOW = 1_800_000_000.0
LEASE_S = 60.0
COALESCE_S = 10.0
ALERT = {"id": "a1", "title": "पुतिन से मिले किम"}
UPDATE = {"type": "update", "id": "a1.update", "alert_id": "a1", "watchlist": "w", "channel": "d"}


@pytest.fixture
def store(either_store: Store) -> Store:
    return either_store


def test_a_sent_record_keeps_its_receipt_and_one_without_has_none(store: Store) -> None:
    store.outbox_add("a1", ALERT, NOW)
    store.outbox_add("a2", ALERT, NOW)
    for alert_id in ("a1", "a2"):
        assert store.outbox_claim(alert_id, NOW, LEASE_S) is not None
    store.outbox_sent("a1", NOW, receipt="1180000000000000001")
    store.outbox_sent("a2", NOW)
    assert [store.outbox_get(alert_id).receipt for alert_id in ("a1", "a2")] == ["1180000000000000001", ""]  # type: ignore[union-attr]


def test_rearm_records_a_new_update_due_after_the_coalescing_window(store: Store) -> None:
    assert store.outbox_rearm("a1.update", UPDATE, NOW, NOW + COALESCE_S)
    record = store.outbox_get("a1.update")
    assert record is not None and (record.state, record.next_at, record.alert) == ("pending", NOW + COALESCE_S, UPDATE)
    assert store.outbox_due(NOW, 10) == []
    assert store.outbox_due(NOW + COALESCE_S, 10) == ["a1.update"]


@pytest.mark.parametrize("claimed", [False, True])
def test_rearm_leaves_a_pending_update_as_it_is(store: Store, claimed: bool) -> None:
    """A copy arriving while the update waits rides along (it is read when sent); one arriving while it is being
    sent is the sender's to see once it has recorded the send."""
    store.outbox_rearm("a1.update", UPDATE, NOW, NOW + COALESCE_S)
    if claimed:
        assert store.outbox_claim("a1.update", NOW + COALESCE_S, LEASE_S) is not None
    assert not store.outbox_rearm("a1.update", UPDATE, NOW + 5, NOW + 5 + COALESCE_S)
    record = store.outbox_get("a1.update")
    assert record is not None and record.state == "pending" and record.next_at == NOW + COALESCE_S
    if claimed:  # still the first sender's
        assert store.outbox_claim("a1.update", NOW + COALESCE_S + 1, LEASE_S) is None


@pytest.mark.parametrize("finished", ["sent", "dead"])
def test_rearm_makes_a_finished_update_pending_again_with_its_receipt(store: Store, finished: str) -> None:
    store.outbox_rearm("a1.update", UPDATE, NOW, NOW + COALESCE_S)
    assert store.outbox_claim("a1.update", NOW + COALESCE_S, LEASE_S) is not None
    if finished == "sent":
        store.outbox_sent("a1.update", NOW + COALESCE_S, receipt="3")
    else:
        store.outbox_dead("a1.update", NOW + COALESCE_S, "gave up")
    later = NOW + 100
    assert store.outbox_rearm("a1.update", UPDATE, later, later + COALESCE_S)
    record = store.outbox_get("a1.update")
    assert record is not None
    assert (record.state, record.attempts, record.next_at, record.last_error) == ("pending", 0, later + COALESCE_S, "")
    assert record.receipt == ("3" if finished == "sent" else "")
    assert store.outbox_counts() == {"pending": 1, "sent": 0, "dead": 0}
    assert store.outbox_claim("a1.update", later + COALESCE_S, LEASE_S) is not None


def test_a_state_file_made_before_receipts_gains_the_column(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "state.sqlite")
    old.execute(
        "CREATE TABLE outbox (id TEXT PRIMARY KEY, state TEXT NOT NULL, alert TEXT NOT NULL, attempts INTEGER NOT "
        "NULL DEFAULT 0, next_at REAL NOT NULL, claimed_until REAL NOT NULL DEFAULT 0, last_error TEXT NOT NULL "
        "DEFAULT '', created_at REAL NOT NULL, updated_at REAL NOT NULL)"
    )
    old.execute("INSERT INTO outbox VALUES ('a0', 'sent', '{}', 1, 0, 0, '', 0, 0)")
    old.commit()
    old.close()
    store = SqliteStore(tmp_path)
    record = store.outbox_get("a0")
    assert record is not None and record.receipt == ""
    store.outbox_add("a1", ALERT, NOW)
    store.outbox_claim("a1", NOW, LEASE_S)
    store.outbox_sent("a1", NOW, receipt="42")
    assert store.outbox_get("a1").receipt == "42"  # type: ignore[union-attr]
    store.close()
