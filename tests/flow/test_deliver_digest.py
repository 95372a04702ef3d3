"""Delivering a digest from the outbox to a loopback platform: one part per attempt, each part sent once even
when a later part fails; an alert claimed in quiet hours is held rather than sent into them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.alerts.fakes import FakePlatform, json_response
from tests.alerts.sample import ALERT
from tests.alerts.test_digest_limits import big_digest
from worker.pipeline import Engine, deliver_alert
from worker.pipeline.once import run_once
from worker.settings import Settings
from worker.store import HeldAlert, SqliteStore

NOW = 1_800_000_000.0
DISCORD_PATH = "/api/webhooks/1/x"


def make_engine(tmp_path: Path, server: HTTPServer, channel_yaml: str, delivery: str = "{}") -> Engine:
    config = tmp_path / "khabardar.yaml"
    config.write_text(
        f'fetch:\n  allow_hosts: ["127.0.0.1:{server.port}"]\nchannels:\n  desk: {channel_yaml}\n'
        "watchlists:\n  - name: world-leaders\n    channels: [desk]\n    entities:\n"
        f"      - {{id: putin, kind: leader, names: [पुतिन]}}\n    delivery: {delivery}\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"KHABARDAR_CONFIG": str(config), "KHABARDAR_DATA_DIR": str(tmp_path / "var")})
    return Engine(settings, store=SqliteStore(tmp_path / "var"))


def test_a_digest_of_several_parts_sends_each_part_once_across_a_failure(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    fake = FakePlatform("discord")
    httpserver.expect_request(DISCORD_PATH, method="POST").respond_with_handler(fake)
    engine = make_engine(tmp_path, httpserver, f'{{type: discord, url: "{httpserver.url_for(DISCORD_PATH)}"}}')
    digest = replace(big_digest(), id="digest-x")
    parts = len(engine.channel("desk").digest_payloads(digest))  # type: ignore[union-attr]
    engine.store.outbox_add(digest.id, digest.to_dict(), NOW)
    fake.answers = [Response(status=204), json_response(500, {"message": "oops"})]  # part 1 goes, part 2 fails once
    now, states = NOW, []
    for _ in range(4 * parts):
        outcome = deliver_alert(engine, digest.id, now)
        states.append(outcome.state)
        now += max(outcome.retry_in_s or 0.0, 1.0)
        if outcome.state == "sent":
            break
    assert states[-1] == "sent" and parts > 2
    titles = [payload["embeds"][0]["title"] for payload in fake.payloads()]
    assert len(titles) == parts + 1  # only the refused part was posted twice
    assert titles[1] == titles[2] and len(set(titles)) == parts
    assert titles[0].endswith(f"(1/{parts})") and titles[-1].endswith(f"({parts}/{parts})")


def test_an_alert_claimed_in_quiet_hours_is_held_not_sent(tmp_path: Path, httpserver: HTTPServer) -> None:
    fake = FakePlatform("webhook")
    httpserver.expect_request("/hook", method="POST").respond_with_handler(fake)
    channel = f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}'
    engine = make_engine(tmp_path, httpserver, channel, delivery='{quiet_hours: "22:00-07:00"}')
    night = datetime(2026, 12, 3, 17, 0, tzinfo=UTC).timestamp()  # 22:30 IST
    engine.store.outbox_add(ALERT.id, ALERT.to_dict(), night - 3600)
    outcome = deliver_alert(engine, ALERT.id, night)
    assert outcome.state == "skipped" and fake.received == []
    assert [held.id for held in engine.store.flow_held()] == [ALERT.id]


def test_once_delivers_due_digests_like_due_alerts(tmp_path: Path, httpserver: HTTPServer) -> None:
    fake = FakePlatform("webhook")
    httpserver.expect_request("/hook", method="POST").respond_with_handler(fake)
    engine = make_engine(tmp_path, httpserver, f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}')
    for number in range(3):  # held under an earlier config; the one in force holds nothing, so they are due
        alert = replace(ALERT, id=f"held-{number}", channel="desk")
        engine.store.flow_hold(HeldAlert(alert.id, "world-leaders/desk", alert.to_dict(), "quiet_hours", NOW, 0.0))
    report = run_once(engine)
    (payload,) = fake.payloads()
    assert payload["type"] == "digest" and [alert["id"] for alert in payload["alerts"]] == [
        f"held-{n}" for n in range(3)
    ]
    assert report.outcomes == {"sent": 1} and engine.store.flow_held() == []
