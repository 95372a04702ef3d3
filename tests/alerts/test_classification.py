"""Each platform's answer → delivered, transient (with its back-off) or permanent (the channel is disabled)."""

from __future__ import annotations

import json

import pytest
from requests.structures import CaseInsensitiveDict

from worker.alerts.base import Channel
from worker.alerts.discord import Discord
from worker.alerts.googlechat import GoogleChat
from worker.alerts.mattermost import Mattermost
from worker.alerts.slack import Slack
from worker.alerts.teams import Teams
from worker.alerts.telegram import ChatMigratedError, Telegram
from worker.alerts.webhook import Webhook
from worker.errors import DeliveryError
from worker.http import HttpResponse

OK = "ok"
TRANSIENT = "transient"
PERMANENT = "permanent"


def answer(status: int, body: object = b"", **headers: str) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(url="http://127.0.0.1/x", status=status, headers=CaseInsensitiveDict(headers), body=raw)


def telegram_error(code: int, description: str, **parameters: object) -> dict[str, object]:
    body: dict[str, object] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


CASES = [
    # Slack
    (Slack, answer(200, b"ok"), OK, None),
    (Slack, answer(429, b"rate_limited", **{"Retry-After": "30"}), TRANSIENT, 30.0),
    (Slack, answer(404, b"no_service"), PERMANENT, None),
    (Slack, answer(410, b"channel_is_archived"), PERMANENT, None),
    (Slack, answer(403, b"channel_is_archived"), PERMANENT, None),
    (Slack, answer(400, b"no_service"), PERMANENT, None),
    (Slack, answer(403, b"action_prohibited"), TRANSIENT, None),
    (Slack, answer(400, b"invalid_payload"), TRANSIENT, None),
    (Slack, answer(500, b"rollup_error"), TRANSIENT, None),
    (Slack, answer(503, b"", **{"Retry-After": "120"}), TRANSIENT, 120.0),
    # Discord
    (Discord, answer(204), OK, None),
    (Discord, answer(200, {"id": "1"}), OK, None),
    (
        Discord,
        answer(429, {"message": "You are being rate limited.", "retry_after": 1.25, "global": False}),
        TRANSIENT,
        1.25,
    ),
    (Discord, answer(429, b"", **{"X-RateLimit-Reset-After": "0.75"}), TRANSIENT, 0.75),
    (Discord, answer(429, b"<html>cloudflare</html>", **{"Retry-After": "4"}), TRANSIENT, 4.0),
    (Discord, answer(404, {"message": "Unknown Webhook", "code": 10015}), PERMANENT, None),
    (Discord, answer(401, {"message": "Invalid Webhook Token", "code": 50027}), PERMANENT, None),
    (Discord, answer(400, {"message": "Invalid Form Body", "code": 50035}), TRANSIENT, None),
    (Discord, answer(502, b"bad gateway"), TRANSIENT, None),
    # Telegram
    (Telegram, answer(200, {"ok": True, "result": {"message_id": 1}}), OK, None),
    (Telegram, answer(429, telegram_error(429, "Too Many Requests: retry after 7", retry_after=7)), TRANSIENT, 7.0),
    (Telegram, answer(403, telegram_error(403, "Forbidden: bot was blocked by the user")), PERMANENT, None),
    (Telegram, answer(403, telegram_error(403, "Forbidden: bot was kicked from the group chat")), PERMANENT, None),
    (Telegram, answer(400, telegram_error(400, "Bad Request: chat not found")), PERMANENT, None),
    (Telegram, answer(401, telegram_error(401, "Unauthorized")), PERMANENT, None),
    (Telegram, answer(400, telegram_error(400, "Bad Request: can't parse entities")), TRANSIENT, None),
    (Telegram, answer(500, telegram_error(500, "Internal Server Error")), TRANSIENT, None),
    # Teams (Workflows answers 202)
    (Teams, answer(202), OK, None),
    (Teams, answer(200, b"1"), OK, None),
    (Teams, answer(429, b"", **{"Retry-After": "10"}), TRANSIENT, 10.0),
    (Teams, answer(404, b"workflow not found"), PERMANENT, None),
    (Teams, answer(413, b"too large"), TRANSIENT, None),
    (Teams, answer(500), TRANSIENT, None),
    # Google Chat
    (GoogleChat, answer(200, {"name": "spaces/x/messages/y"}), OK, None),
    (GoogleChat, answer(429, {"error": {"code": 429}}), TRANSIENT, None),
    (GoogleChat, answer(404, {"error": {"code": 404}}), PERMANENT, None),
    (GoogleChat, answer(403, {"error": {"code": 403}}), PERMANENT, None),
    # Mattermost
    (Mattermost, answer(200, b"ok"), OK, None),
    (Mattermost, answer(404), PERMANENT, None),
    (Mattermost, answer(500), TRANSIENT, None),
    # Generic webhook: only 410 Gone is permanent; a receiver's 4xx may be fixed on its side
    (Webhook, answer(200), OK, None),
    (Webhook, answer(201), OK, None),
    (Webhook, answer(410), PERMANENT, None),
    (Webhook, answer(404), TRANSIENT, None),
    (Webhook, answer(401), TRANSIENT, None),
    (Webhook, answer(429, b"", **{"Retry-After": "2.5"}), TRANSIENT, 2.5),
    (Webhook, answer(429, b"", **{"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}), TRANSIENT, None),
    (Webhook, answer(429, b"", **{"Retry-After": "-3"}), TRANSIENT, None),
    (Webhook, answer(429, b"", **{"Retry-After": "99999999"}), TRANSIENT, 86_400.0),
    (Webhook, answer(301), TRANSIENT, None),
]


@pytest.mark.parametrize(
    ("channel", "response", "outcome", "retry_after_s"),
    CASES,
    ids=[f"{case[0].kind}-{case[1].status}-{case[1].body[:24]!r}" for case in CASES],
)
def test_platform_answer_is_classified(
    channel: type[Channel], response: HttpResponse, outcome: str, retry_after_s: float | None
) -> None:
    if outcome == OK:
        channel.check(response, "x")
        return
    with pytest.raises(DeliveryError) as caught:
        channel.check(response, "x")
    assert caught.value.permanent is (outcome == PERMANENT)
    assert caught.value.retry_after_s == retry_after_s
    assert caught.value.status == response.status


def test_telegram_group_migration_is_permanent_and_names_the_new_chat() -> None:
    response = answer(
        400,
        telegram_error(400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=-1001234),
    )
    with pytest.raises(ChatMigratedError) as caught:
        Telegram.check(response, "telegram channel 'desk-tg'")
    assert caught.value.permanent
    assert caught.value.migrate_to_chat_id == "-1001234"
    assert "-1001234" in str(caught.value)


def test_error_message_names_channel_status_and_platform_reason() -> None:
    with pytest.raises(DeliveryError) as caught:
        Slack.check(answer(404, b"no_service"), "slack channel 'desk'")
    assert str(caught.value) == (
        "slack channel 'desk': the platform answered 404 (no_service); disabled until its config changes"
    )


def test_discord_error_message_uses_the_json_message() -> None:
    with pytest.raises(DeliveryError, match=r"answered 404 \(Unknown Webhook\)"):
        Discord.check(answer(404, {"message": "Unknown Webhook", "code": 10015}), "discord channel 'd'")


def test_long_error_bodies_are_cut_short() -> None:
    with pytest.raises(DeliveryError) as caught:
        Webhook.check(answer(500, b"x" * 5000), "w")
    assert len(str(caught.value)) < 220
