"""Holding and flushing with the clock injected: quiet hours, a burst, a schedule, urgency and live config edits.

Every held alert leaves in exactly one digest; nothing held is ever dropped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.alerts.sample import ALERT
from worker.alerts.model import Alert
from worker.config import Config, load_config
from worker.flow.flush import flush_due_digests
from worker.flow.hold import Recorded, record_alert
from worker.store import SqliteStore, Store

CONFIG = """\
channels:
  desk: {{type: webhook, url: "https://example.org/hook"}}
watchlists:
  - name: world-leaders
    channels: [desk]
    entities:
      - {{id: putin, kind: leader, names: [पुतिन]}}
    delivery: {delivery}
"""
# 22:00 IST on 3 December 2026
NIGHT = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)


def config(tmp_path: Path, delivery: str) -> Config:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG.format(delivery=delivery), encoding="utf-8")
    return load_config(path).config


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return SqliteStore(tmp_path / "state")


def alert(number: int) -> Alert:
    return replace(ALERT, id=f"alert-{number}", article=replace(ALERT.article, url=f"https://example.in/{number}"))


def digests(store: Store) -> list[list[str]]:
    """The alert ids in each pending digest of the outbox."""
    records = [store.outbox_get(one) for one in store.outbox_due(1e12, 100)]
    return [[a["id"] for a in r.alert["alerts"]] for r in records if r is not None and r.alert.get("type") == "digest"]


def test_alerts_in_quiet_hours_are_held_and_go_out_as_one_digest_when_they_end(tmp_path: Path, store: Store) -> None:
    settings = config(tmp_path, '{quiet_hours: "22:00-07:00"}')
    for number in range(3):
        assert record_alert(store, settings, alert(number), NIGHT + timedelta(hours=number))
    assert store.outbox_due(1e12, 10) == []
    assert flush_due_digests(store, settings, NIGHT + timedelta(hours=8, minutes=29)) == []  # 06:59 IST
    made = flush_due_digests(store, settings, NIGHT + timedelta(hours=9))  # 07:00 IST
    assert len(made) == 1 and digests(store) == [["alert-0", "alert-1", "alert-2"]]
    assert flush_due_digests(store, settings, NIGHT + timedelta(hours=9, seconds=5)) == []
    record = store.outbox_get(made[0])
    assert record is not None and record.alert["reason"] == "quiet_hours"


def test_an_alert_outside_quiet_hours_goes_to_the_outbox_at_once(tmp_path: Path, store: Store) -> None:
    settings = config(tmp_path, '{quiet_hours: "22:00-07:00"}')
    assert record_alert(store, settings, alert(1), NIGHT - timedelta(minutes=1))
    assert store.outbox_due(1e12, 10) == ["alert-1"]


def test_shortening_quiet_hours_releases_what_is_due_at_the_next_flush(tmp_path: Path, store: Store) -> None:
    record_alert(store, config(tmp_path, '{quiet_hours: "22:00-07:00"}'), alert(1), NIGHT)
    shorter = config(tmp_path, '{quiet_hours: "22:00-23:00"}')
    assert flush_due_digests(store, shorter, NIGHT + timedelta(minutes=59)) == []
    assert len(flush_due_digests(store, shorter, NIGHT + timedelta(hours=1))) == 1
    assert digests(store) == [["alert-1"]]


def test_an_urgent_list_is_never_held_and_releases_what_was(tmp_path: Path, store: Store) -> None:
    record_alert(store, config(tmp_path, '{quiet_hours: "22:00-07:00"}'), alert(1), NIGHT)
    urgent = config(tmp_path, '{quiet_hours: "22:00-07:00", priority: urgent}')
    assert record_alert(store, urgent, alert(2), NIGHT + timedelta(minutes=1))
    assert "alert-2" in store.outbox_due(1e12, 10)
    assert len(flush_due_digests(store, urgent, NIGHT + timedelta(minutes=2))) == 1
    assert digests(store) == [["alert-1"]]


def test_a_burst_sends_up_to_max_then_holds_the_rest_for_one_digest_at_the_window_end(
    tmp_path: Path, store: Store
) -> None:
    settings = config(tmp_path, "{burst: {max: 2, per: 10m}}")
    start = NIGHT - timedelta(hours=6)
    for number in range(5):
        record_alert(store, settings, alert(number), start + timedelta(minutes=number))
    assert sorted(store.outbox_due(1e12, 10)) == ["alert-0", "alert-1"]
    assert flush_due_digests(store, settings, start + timedelta(minutes=9, seconds=59)) == []
    assert len(flush_due_digests(store, settings, start + timedelta(minutes=10))) == 1
    assert digests(store) == [["alert-2", "alert-3", "alert-4"]]
    record_alert(store, settings, alert(9), start + timedelta(minutes=11))  # the count has started again
    assert "alert-9" in store.outbox_due(1e12, 10)


def test_a_scheduled_list_comes_only_as_digests_at_its_times(tmp_path: Path, store: Store) -> None:
    settings = config(tmp_path, '{digest: {at: ["09:00", "18:00"]}}')
    morning = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 08:30 IST
    record_alert(store, settings, alert(1), morning)
    record_alert(store, settings, alert(2), morning + timedelta(minutes=10))
    assert store.outbox_due(1e12, 10) == []
    assert flush_due_digests(store, settings, morning + timedelta(minutes=29)) == []
    made = flush_due_digests(store, settings, morning + timedelta(minutes=30))
    assert len(made) == 1 and digests(store) == [["alert-1", "alert-2"]]
    record = store.outbox_get(made[0])
    assert record is not None and record.alert["reason"] == "schedule"


def test_a_known_alert_is_neither_held_again_nor_counted_in_a_burst(tmp_path: Path, store: Store) -> None:
    settings = config(tmp_path, "{burst: {max: 1, per: 10m}}")
    assert record_alert(store, settings, alert(1), NIGHT) == Recorded(hold=None)  # due now
    assert record_alert(store, settings, alert(1), NIGHT) is None
    held = record_alert(store, settings, alert(2), NIGHT)  # held, but recorded, and says so
    assert held is not None and held.hold is not None and held.hold.reason == "burst"
    assert store.outbox_due(1e12, 10) == ["alert-1"]


def test_quiet_hours_in_new_york_end_at_seven_local_on_the_night_the_clocks_spring_forward(
    tmp_path: Path, store: Store
) -> None:
    settings = config(tmp_path, '{quiet_hours: "22:00-07:00", timezone: America/New_York}')
    midnight_est = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert record_alert(store, settings, alert(1), midnight_est)
    assert store.outbox_due(1e12, 10) == []
    assert flush_due_digests(store, settings, datetime(2026, 3, 8, 10, 59, tzinfo=UTC)) == []  # 06:59 EDT
    assert (
        len(flush_due_digests(store, settings, datetime(2026, 3, 8, 11, 0, tzinfo=UTC))) == 1
    )  # 07:00 EDT, not 07:00 EST an hour later
