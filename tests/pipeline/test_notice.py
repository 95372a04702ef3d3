"""Notices to the ops channel: each platform's plainest message, escaped like its alerts, signed like its alerts,
and a platform that refuses a notice raises DeliveryError (which the poll logs instead of failing)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook as Verifier

from worker.alerts import channel_for
from worker.alerts.notice import notice_payload, send_notice
from worker.config.models import Config
from worker.errors import DeliveryError
from worker.http import HttpClient

TEXT = "khabardar: feed jagran_world has moved permanently to https://www.jagran.com/rss/naya.xml @everyone"
SECRET = "correct horse battery staple"


def _channel(kind: str, **extra: str) -> Any:
    url = {"telegram": {}, "console": {}}.get(kind, {"url": "https://hooks.example/T000/B000/XXXXXXXXXXXXXXXX"})
    fields = {"type": kind, **url, **extra}
    if kind == "telegram":
        fields |= {"token": "123:abc", "chat_id": "-100123"}
    config = Config.model_validate({"channels": {"ops": fields}}).channels["ops"]
    return channel_for("ops", config)


@pytest.mark.parametrize(
    ("kind", "field", "shown"),
    [
        ("slack", "text", "jagran_world"),
        ("discord", "content", "jagran\\_world"),  # Markdown would make _world_ italic
        ("mattermost", "text", "jagran\\_world"),
        ("googlechat", "text", "jagran_world"),
        ("telegram", "text", "jagran_world"),
        ("webhook", "text", "jagran_world"),
    ],
)
def test_each_platform_gets_the_text_as_text(kind: str, field: str, shown: str) -> None:
    payload = notice_payload(_channel(kind), TEXT)
    assert shown in payload[field]
    if kind != "webhook":  # the generic webhook carries the text as data, for a program to read
        assert "@everyone" not in payload[field]  # the mention is defused, as in alerts


def test_teams_gets_one_wrapped_text_block() -> None:
    payload = notice_payload(_channel("teams"), TEXT)
    [block] = payload["attachments"][0]["content"]["body"]
    assert block["type"] == "TextBlock" and block["wrap"] and "jagran_world" in block["text"]


def test_a_webhook_notice_is_marked_and_signed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    config = Config.model_validate(
        {"channels": {"ops": {"type": "webhook", "url": httpserver.url_for("/hook"), "secret": SECRET}}}
    ).channels["ops"]
    send_notice(channel_for("ops", config), TEXT, HttpClient(allow_hosts=[f"127.0.0.1:{httpserver.port}"]))
    [(request, _)] = httpserver.log
    assert Verifier(SECRET.encode()).verify(request.get_data(), dict(request.headers)) == {
        "type": "notice",
        "text": TEXT,
    }
    assert json.loads(request.get_data())["type"] == "notice"


def test_a_refused_notice_raises_delivery_error_without_the_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/T000/secret-path-0123456789", method="POST").respond_with_data("no_service", 404)
    url = httpserver.url_for("/T000/secret-path-0123456789")
    config = Config.model_validate({"channels": {"ops": {"type": "slack", "url": url}}}).channels["ops"]
    with pytest.raises(DeliveryError) as caught:
        send_notice(channel_for("ops", config), TEXT, HttpClient(allow_hosts=[f"127.0.0.1:{httpserver.port}"]))
    assert "secret-path" not in str(caught.value)


def test_the_console_prints_the_notice(capsys: pytest.CaptureFixture[str]) -> None:
    send_notice(_channel("console"), TEXT, HttpClient())
    assert "jagran_world has moved permanently" in capsys.readouterr().out
