"""Each platform against a loopback fake that answers like it, through the real HTTP client."""

from __future__ import annotations

import socket

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.alerts.fakes import TELEGRAM_TOKEN, FakePlatform, json_response, text_response
from tests.alerts.sample import ALERT, make_alert
from tests.alerts.test_limits import HUGE, HUGE_IDS
from worker.alerts import channel_for
from worker.alerts.base import Channel
from worker.alerts.model import Alert
from worker.alerts.telegram import ChatMigratedError
from worker.alerts.text import json_text
from worker.config.models import (
    ChannelConfig,
    DiscordChannel,
    GoogleChatChannel,
    MattermostChannel,
    SlackChannel,
    TeamsChannel,
    TelegramChannel,
    WebhookChannel,
)
from worker.errors import DeliveryError
from worker.http import HttpClient

CANARY = "CANARY-hook-secret-7c1d9e"
PATHS = {
    "slack": f"/services/T000/B000/{CANARY}",
    "discord": f"/api/webhooks/1234/{CANARY}",
    "teams": f"/workflows/abc/triggers/manual/paths/invoke?sig={CANARY}",
    "googlechat": f"/v1/spaces/AAA/messages?key={CANARY}",
    "mattermost": f"/hooks/{CANARY}",
    "webhook": f"/receive/{CANARY}",
    "telegram": f"/bot{TELEGRAM_TOKEN}/sendMessage",
}
KINDS = sorted(PATHS)


def config_for(kind: str, base: str) -> ChannelConfig:
    url = base + PATHS[kind]
    configs: dict[str, ChannelConfig] = {
        "slack": SlackChannel(type="slack", url=url),
        "discord": DiscordChannel(type="discord", url=url),
        "teams": TeamsChannel(type="teams", url=url),
        "googlechat": GoogleChatChannel(type="googlechat", url=url),
        "mattermost": MattermostChannel(type="mattermost", url=url),
        "webhook": WebhookChannel(type="webhook", url=url),
        "telegram": TelegramChannel(type="telegram", token=TELEGRAM_TOKEN, chat_id="-100777", api_url=base),
    }
    return configs[kind]


@pytest.fixture
def http(httpserver: HTTPServer) -> HttpClient:
    return HttpClient(allow_hosts=[f"127.0.0.1:{httpserver.port}"])


def serve(httpserver: HTTPServer, kind: str, *answers: Response) -> tuple[Channel, FakePlatform]:
    fake = FakePlatform(kind, list(answers))
    httpserver.expect_request(PATHS[kind].split("?")[0], method="POST").respond_with_handler(fake)
    base = httpserver.url_for("").rstrip("/")
    return channel_for(f"desk-{kind}", config_for(kind, base)), fake


@pytest.mark.parametrize("kind", KINDS)
def test_platform_receives_the_payload_byte_for_byte(httpserver: HTTPServer, http: HttpClient, kind: str) -> None:
    channel, fake = serve(httpserver, kind)
    channel.send(ALERT, http)
    (request,) = fake.received
    assert request.get_data() == json_text(channel.payload(ALERT)).encode()
    assert request.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_platform_accepts_huge_alerts(httpserver: HTTPServer, http: HttpClient, kind: str, alert: Alert) -> None:
    channel, fake = serve(httpserver, kind)
    channel.send(alert, http)
    assert len(fake.received) == 1


RATE_LIMITED = [
    ("slack", text_response(429, "rate_limited", **{"Retry-After": "3"}), 3.0),
    (
        "discord",
        json_response(429, {"message": "You are being rate limited.", "retry_after": 0.64, "global": False}),
        0.64,
    ),
    ("discord", text_response(429, "", **{"X-RateLimit-Reset-After": "1.5", "X-RateLimit-Remaining": "0"}), 1.5),
    (
        "telegram",
        json_response(
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 9",
                "parameters": {"retry_after": 9},
            },
        ),
        9.0,
    ),
    ("teams", text_response(429, "", **{"Retry-After": "20"}), 20.0),
    ("googlechat", json_response(429, {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}), None),
    ("mattermost", text_response(429, "", **{"Retry-After": "1"}), 1.0),
    ("webhook", text_response(429, "", **{"Retry-After": "60"}), 60.0),
]


@pytest.mark.parametrize(("kind", "answer", "retry_after_s"), RATE_LIMITED, ids=[c[0] for c in RATE_LIMITED])
def test_platform_429_is_transient_with_its_back_off(
    httpserver: HTTPServer, http: HttpClient, kind: str, answer: Response, retry_after_s: float | None
) -> None:
    channel, _fake = serve(httpserver, kind, answer)
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, http)
    assert (caught.value.permanent, caught.value.retry_after_s, caught.value.status) == (False, retry_after_s, 429)


PERMANENT = [
    ("slack", text_response(404, "no_service")),
    ("slack", text_response(410, "channel_is_archived")),
    ("discord", json_response(404, {"message": "Unknown Webhook", "code": 10015})),
    (
        "telegram",
        json_response(403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
    ),
    ("telegram", json_response(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})),
    ("teams", text_response(404, "")),
    ("googlechat", json_response(404, {"error": {"code": 404, "status": "NOT_FOUND"}})),
    ("mattermost", text_response(404, "")),
    ("webhook", text_response(410, "gone")),
]


@pytest.mark.parametrize(("kind", "answer"), PERMANENT, ids=[f"{c[0]}-{c[1].status_code}" for c in PERMANENT])
def test_permanent_answers_say_so(httpserver: HTTPServer, http: HttpClient, kind: str, answer: Response) -> None:
    channel, _fake = serve(httpserver, kind, answer)
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, http)
    assert caught.value.permanent
    assert f"desk-{kind}" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_server_errors_are_transient(httpserver: HTTPServer, http: HttpClient, kind: str) -> None:
    channel, _fake = serve(httpserver, kind, text_response(503, "down for maintenance"))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, http)
    assert (caught.value.permanent, caught.value.status) == (False, 503)


def test_telegram_group_migration_names_the_new_chat(httpserver: HTTPServer, http: HttpClient) -> None:
    migrated = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1009876543210},
    }
    channel, _fake = serve(httpserver, "telegram", json_response(400, migrated))
    with pytest.raises(ChatMigratedError) as caught:
        channel.send(ALERT, http)
    assert caught.value.permanent
    assert caught.value.migrate_to_chat_id == "-1009876543210"


def test_teams_413_is_answered_once_more_without_the_snippet(httpserver: HTTPServer, http: HttpClient) -> None:
    channel, fake = serve(httpserver, "teams")
    full, compact = (len(json_text(payload).encode()) for payload in _teams_payloads(channel))
    fake.max_body_bytes = (full + compact) // 2
    channel.send(make_alert(snippet="लंबा अंश " * 300), http)
    assert [request.get_data().__len__() > fake.max_body_bytes for request in fake.received] == [True, False]
    assert "लंबा अंश" not in fake.received[1].get_data().decode()


def _teams_payloads(channel: Channel) -> tuple[dict[str, object], dict[str, object]]:
    from worker.alerts.teams import teams_payload
    from worker.alerts.view import AlertView

    view = AlertView.of(make_alert(snippet="लंबा अंश " * 300))
    return teams_payload(view), teams_payload(view, compact=True)


def test_teams_413_twice_is_a_transient_error(httpserver: HTTPServer, http: HttpClient) -> None:
    channel, fake = serve(httpserver, "teams", text_response(413, ""), text_response(413, ""))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, http)
    assert (caught.value.status, caught.value.permanent, len(fake.received)) == (413, False, 2)


@pytest.mark.parametrize("kind", KINDS)
def test_error_messages_never_carry_the_url_or_token(httpserver: HTTPServer, http: HttpClient, kind: str) -> None:
    secret = TELEGRAM_TOKEN if kind == "telegram" else CANARY
    echo = f"no such hook: {'x' * 136}{secret} at {PATHS[kind]}"  # the secret straddles the excerpt's cut
    channel, _fake = serve(httpserver, kind, text_response(404, echo))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, http)
    assert "no such hook" in str(caught.value)
    assert secret not in str(caught.value)
    assert secret[:8] not in str(caught.value)
    assert "***" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_a_webhook_on_a_private_address_is_refused_permanently(kind: str) -> None:
    channel = channel_for(f"desk-{kind}", config_for(kind, f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, HttpClient())
    assert caught.value.permanent
    assert "fetch.allow_hosts" in str(caught.value) and CANARY not in str(caught.value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("kind", KINDS)
def test_unreachable_platform_is_transient_and_the_error_hides_the_url(kind: str) -> None:
    port = free_port()
    channel = channel_for(f"desk-{kind}", config_for(kind, f"http://127.0.0.1:{port}"))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ALERT, HttpClient(allow_hosts=[f"127.0.0.1:{port}"]))
    error = caught.value
    assert not error.permanent and error.status is None
    assert error.__cause__ is None and error.__suppress_context__, "a chained cause would print the URL in tracebacks"
    assert CANARY not in str(error) and TELEGRAM_TOKEN not in str(error)
    assert "could not reach" in str(error)
