"""Delivering from the outbox against loopback platforms: what counts as an attempt, rate-limit turns, and a
Telegram group that became a supergroup. A fixed clock (``now``) drives the schedule; the HTTP is real."""

from __future__ import annotations

import json
import logging
import random
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.operator import channels_table
from tests.alerts.fakes import PLATFORM_SUCCESS, json_response, ops_notices, telegram_error, text_response
from tests.alerts.sample import ALERT
from worker.alerts.discord import Discord
from worker.alerts.retry import MAX_ATTEMPTS, send_spacing_s
from worker.pipeline import Engine, deliver_alert
from worker.pipeline.deliver import RATE_LIMITED_PATIENCE_S, disable_channel
from worker.settings import Settings
from worker.store import SqliteStore, Store, moved_address

NOW = 1_800_000_000.0
TOKEN = "424242:CANARY-delivery-token"
OLD_CHAT = "-4001"
NEW_CHAT = "-1004001"
DISCORD_SPACING_S = send_spacing_s(*Discord.rate_limit or (1, 0.0))


def make_engine(
    tmp_path: Path, server: HTTPServer, channel_yaml: str, *, ops: bool = False, store: Store | None = None
) -> Engine:
    """An engine whose one channel ``desk`` feeds one watch-list; with ``ops``, notices go to a Slack at /ops.
    Its store is ``store``, else an embedded one under ``tmp_path``."""
    ops_yaml = f'  ops-room: {{type: slack, url: "{server.url_for("/ops")}"}}\nops: ops-room\n' if ops else ""
    config = tmp_path / "khabardar.yaml"
    config.write_text(
        f'fetch:\n  allow_hosts: ["127.0.0.1:{server.port}"]\nchannels:\n  desk: {channel_yaml}\n{ops_yaml}'
        "watchlists:\n  - name: world-leaders\n    channels: [desk]\n    entities:\n"
        "      - {id: putin, kind: leader, names: [पुतिन]}\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"KHABARDAR_CONFIG": str(config), "KHABARDAR_DATA_DIR": str(tmp_path / "var")})
    return Engine(settings, store=store or SqliteStore(tmp_path / "var"))


def add_alerts(engine: Engine, count: int, *, created_at: float = NOW) -> list[str]:
    ids = [f"alert-{number}" for number in range(count)]
    for alert_id in ids:
        engine.store.outbox_add(alert_id, replace(ALERT, id=alert_id).to_dict(), created_at)
    return ids


def answers(*responses: Response) -> object:
    """A handler that serves ``responses`` in order, then the last one for ever."""
    queue = list(responses)

    def handle(_request: Request) -> Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handle


# (platform, channel config, path, a 429 in the platform's own form, the wait it asks for)
RATE_LIMITED = [
    ("slack", "/services/T1/B1/x", text_response(429, "rate_limited", **{"Retry-After": "3"}), 3.0),
    (
        "discord",
        "/api/webhooks/1/x",
        json_response(429, {"message": "You are being rate limited.", "retry_after": 1.25, "global": False}),
        1.25,
    ),
    (
        "telegram",
        f"/bot{TOKEN}/sendMessage",
        json_response(429, telegram_error(429, "Too Many Requests", retry_after=7)),
        7.0,
    ),
]


def channel_yaml(kind: str, server: HTTPServer, path: str) -> str:
    if kind == "telegram":
        return f'{{type: telegram, token: "{TOKEN}", chat_id: "{OLD_CHAT}", api_url: "{server.url_for("/")}"}}'
    return f'{{type: {kind}, url: "{server.url_for(path)}"}}'


@pytest.mark.parametrize(("kind", "path", "too_many", "asked_s"), RATE_LIMITED, ids=[row[0] for row in RATE_LIMITED])
def test_429s_wait_what_the_platform_asks_and_never_use_up_the_schedule(
    kind: str, path: str, too_many: Response, asked_s: float, tmp_path: Path, httpserver: HTTPServer
) -> None:
    # A 429 says "not yet", not "this alert cannot be delivered": twice the schedule's length of them must not
    # dead-letter the alert (decision documented in worker/pipeline/deliver.py).
    refusals = 2 * MAX_ATTEMPTS
    httpserver.expect_request(path, method="POST").respond_with_handler(
        answers(*[too_many] * refusals, PLATFORM_SUCCESS[kind]())
    )
    engine = make_engine(tmp_path, httpserver, channel_yaml(kind, httpserver, path))
    [alert_id] = add_alerts(engine, 1)
    now = NOW
    for _ in range(refusals):
        outcome = deliver_alert(engine, alert_id, now)
        record = engine.store.outbox_get(alert_id)
        assert (outcome.state, outcome.retry_in_s) == ("retry", asked_s)
        assert record is not None and record.attempts == 0 and record.next_at == now + asked_s
        now += asked_s
    assert deliver_alert(engine, alert_id, now).state == "sent"


def test_a_429_holds_back_the_other_alerts_of_the_channel_for_as_long(tmp_path: Path, httpserver: HTTPServer) -> None:
    path = "/services/T1/B1/x"
    httpserver.expect_request(path, method="POST").respond_with_handler(
        answers(text_response(429, "rate_limited", **{"Retry-After": "30"}), PLATFORM_SUCCESS["slack"]())
    )
    engine = make_engine(tmp_path, httpserver, channel_yaml("slack", httpserver, path))
    refused, waiting = add_alerts(engine, 2)
    assert deliver_alert(engine, refused, NOW).retry_in_s == 30.0
    held = deliver_alert(engine, waiting, NOW + 5)
    assert held.state == "retry" and held.retry_in_s is not None and held.retry_in_s >= 25.0
    assert len(httpserver.log) == 1  # the second alert did not knock while the platform said "not yet"
    assert deliver_alert(engine, refused, NOW + 30).state == "sent"


def test_500s_use_up_the_schedule_and_then_dead_letter(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("broken", status=500)
    engine = make_engine(tmp_path, httpserver, f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}')
    [alert_id] = add_alerts(engine, 1)
    now, states = NOW, []
    for _ in range(MAX_ATTEMPTS):
        outcome = deliver_alert(engine, alert_id, now, rng=random.Random(1))
        states.append(outcome.state)
        now += outcome.retry_in_s or 0.0
    assert states == ["retry"] * (MAX_ATTEMPTS - 1) + ["dead"]


def test_a_day_of_429s_counts_them_as_attempts_so_the_alert_ends_in_the_dead_letters(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("slow down", status=429)
    engine = make_engine(tmp_path, httpserver, f'{{type: webhook, url: "{httpserver.url_for("/hook")}"}}')
    [alert_id] = add_alerts(engine, 1, created_at=NOW - RATE_LIMITED_PATIENCE_S - 1)
    deliver_alert(engine, alert_id, NOW, rng=random.Random(1))
    record = engine.store.outbox_get(alert_id)
    assert record is not None and record.attempts == 1


def discord_engine(tmp_path: Path, httpserver: HTTPServer) -> Engine:
    httpserver.expect_request("/api/webhooks/1/x", method="POST").respond_with_handler(
        answers(PLATFORM_SUCCESS["discord"]())
    )
    return make_engine(tmp_path, httpserver, f'{{type: discord, url: "{httpserver.url_for("/api/webhooks/1/x")}"}}')


def test_a_burst_sends_one_and_gives_the_rest_turns_one_spacing_apart(tmp_path: Path, httpserver: HTTPServer) -> None:
    engine = discord_engine(tmp_path, httpserver)
    ids = add_alerts(engine, 6)
    outcomes = [deliver_alert(engine, alert_id, NOW) for alert_id in ids]
    assert [outcome.state for outcome in outcomes] == ["sent"] + ["retry"] * 5
    turns = [outcome.turn_at for outcome in outcomes[1:]]
    assert turns == pytest.approx([NOW + DISCORD_SPACING_S * number for number in range(1, 6)])
    for alert_id, turn in zip(ids[1:], turns, strict=True):
        record = engine.store.outbox_get(alert_id)
        assert record is not None and record.attempts == 0 and record.next_at == turn


def test_an_alert_whose_turn_came_waits_for_the_send_before_it_not_for_a_new_turn(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    engine = discord_engine(tmp_path, httpserver)
    first, second, third = add_alerts(engine, 3)
    deliver_alert(engine, first, NOW)
    second_turn = deliver_alert(engine, second, NOW).turn_at
    third_turn = deliver_alert(engine, third, NOW).turn_at
    assert second_turn is not None and third_turn is not None
    late_s = 0.1  # the second ran late, so the third's turn comes while the limiter still waits for it
    assert deliver_alert(engine, second, second_turn + late_s, turn_at=second_turn).state == "sent"
    waited = deliver_alert(engine, third, third_turn, turn_at=third_turn)
    assert (waited.state, waited.turn_at) == ("retry", third_turn)
    assert waited.retry_in_s == pytest.approx(late_s)
    assert deliver_alert(engine, third, third_turn + late_s, turn_at=third_turn).state == "sent"


def test_an_alert_without_a_turn_queues_behind_those_that_have_one(tmp_path: Path, httpserver: HTTPServer) -> None:
    engine = discord_engine(tmp_path, httpserver)
    first, second, latecomer = add_alerts(engine, 3)
    deliver_alert(engine, first, NOW)
    second_turn = deliver_alert(engine, second, NOW).turn_at
    assert second_turn is not None
    queued = deliver_alert(engine, latecomer, NOW + DISCORD_SPACING_S / 2)
    assert queued.state == "retry" and queued.turn_at == pytest.approx(second_turn + DISCORD_SPACING_S)


class Telegram:
    """A Bot API whose group ``OLD_CHAT`` became the supergroup ``NEW_CHAT``."""

    def __init__(self) -> None:
        self.chats: list[str] = []

    def __call__(self, request: Request) -> Response:
        chat = str(json.loads(request.get_data())["chat_id"])
        self.chats.append(chat)
        if chat == OLD_CHAT:
            upgraded = telegram_error(
                400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=int(NEW_CHAT)
            )
            return json_response(400, upgraded)
        return PLATFORM_SUCCESS["telegram"]()


def test_a_channel_disabled_by_a_permanent_error_is_announced_once_to_ops(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/services/T1/B1/x", method="POST").respond_with_data("no_service", status=404)
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    engine = make_engine(tmp_path, httpserver, channel_yaml("slack", httpserver, "/services/T1/B1/x"), ops=True)
    first, second = add_alerts(engine, 2)
    assert deliver_alert(engine, first, NOW).state == "dead"
    assert deliver_alert(engine, second, NOW + 1).state == "dead"  # the channel is disabled: no POST at all
    # an alert already in flight when the channel failed meets the same 404: it must not announce it again
    disable_channel(engine, "desk", "Slack answered 404", NOW + 2)
    slack_posts = [request for request, _ in httpserver.log if request.path.startswith("/services/")]
    assert len(slack_posts) == 1
    [notice] = ops_notices(httpserver)
    assert "channel desk DISABLED" in notice and "khabardar alerts replay --dead" in notice
    assert "/services/T1/B1/x" not in notice  # the reason names the host, never the webhook's secret path


def test_a_group_that_became_a_supergroup_is_followed_and_remembered(
    tmp_path: Path, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    bot = Telegram()
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_handler(bot)
    httpserver.expect_request("/ops", method="POST").respond_with_data("ok")
    engine = make_engine(tmp_path, httpserver, channel_yaml("telegram", httpserver, ""), ops=True)
    first, second = add_alerts(engine, 2)
    with caplog.at_level(logging.WARNING, logger="worker.pipeline.deliver"):
        assert deliver_alert(engine, first, NOW).state == "sent"
        assert deliver_alert(engine, second, NOW + 60).state == "sent"
    assert bot.chats == [OLD_CHAT, NEW_CHAT, NEW_CHAT]  # the second alert went straight to the supergroup
    assert moved_address(engine.store.get_channel_state("desk"), OLD_CHAT) == NEW_CHAT
    loud = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(loud) == 1 and f"set chat_id: '{NEW_CHAT}'" in loud[0].getMessage()
    assert [notice for notice in ops_notices(httpserver) if f"set chat_id: '{NEW_CHAT}'" in notice] != []
    assert TOKEN not in caplog.text and all(TOKEN not in notice for notice in ops_notices(httpserver))
    row = channels_table(engine.loaded, engine.store).columns[-1]
    assert any(NEW_CHAT in str(cell) for cell in row.cells)


def test_a_remembered_migration_does_not_redirect_an_edited_chat_id(tmp_path: Path, httpserver: HTTPServer) -> None:
    engine = make_engine(tmp_path, httpserver, channel_yaml("telegram", httpserver, ""))
    engine.store.set_channel_fields("desk", {"moved_from": OLD_CHAT, "moved_to": NEW_CHAT})
    state = engine.store.get_channel_state("desk")
    assert moved_address(state, OLD_CHAT) == NEW_CHAT
    assert moved_address(state, "-5555") is None
