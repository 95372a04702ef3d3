"""The generic webhook is signed per Standard Webhooks, verified here with the reference `standardwebhooks` package."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from tests.alerts.fakes import FakePlatform, text_response
from tests.alerts.sample import ALERT
from worker.alerts import channel_for
from worker.alerts.webhook import Webhook, secret_key, sign
from worker.config.models import WebhookChannel
from worker.errors import ConfigError, DeliveryError
from worker.http import HttpClient

KEY = b"khabardar-test-signing-key-32byt"
WHSEC = "whsec_" + base64.b64encode(KEY).decode()
PLAIN_SECRET = "correct horse battery staple"


def hook(httpserver: HTTPServer, secret: str | None, *answers: object) -> tuple[Webhook, FakePlatform, HttpClient]:
    fake = FakePlatform("webhook", list(answers))  # type: ignore[arg-type]
    httpserver.expect_request("/receive", method="POST").respond_with_handler(fake)
    config = WebhookChannel(type="webhook", url=httpserver.url_for("/receive"), secret=secret)
    channel = channel_for("hook", config)
    assert isinstance(channel, Webhook)
    return channel, fake, HttpClient(allow_hosts=[f"127.0.0.1:{httpserver.port}"])


def test_signature_matches_the_reference_implementation() -> None:
    moment = datetime(2026, 11, 28, 8, 35, tzinfo=UTC)
    expected = Verifier(WHSEC).sign("msg_1", moment, '{"a": "पुतिन"}')
    assert sign(KEY, "msg_1", int(moment.timestamp()), '{"a": "पुतिन"}') == expected


@pytest.mark.parametrize(("secret", "verifier_key"), [(WHSEC, WHSEC), (PLAIN_SECRET, PLAIN_SECRET.encode())])
def test_signed_delivery_verifies_with_standardwebhooks(
    httpserver: HTTPServer, secret: str, verifier_key: str | bytes
) -> None:
    channel, fake, http = hook(httpserver, secret)
    channel.send(ALERT, http)
    (request,) = fake.received
    verified = Verifier(verifier_key).verify(request.get_data(), dict(request.headers))
    assert verified == channel.payload(ALERT)
    assert request.headers["webhook-id"] == ALERT.id
    assert request.headers["webhook-signature"].startswith("v1,")


def test_a_tampered_body_fails_verification(httpserver: HTTPServer) -> None:
    channel, fake, http = hook(httpserver, WHSEC)
    channel.send(ALERT, http)
    (request,) = fake.received
    tampered = request.get_data().replace("पुतिन".encode(), "मोदी".encode())
    with pytest.raises(WebhookVerificationError):
        Verifier(WHSEC).verify(tampered, dict(request.headers))


def test_every_retry_carries_the_same_webhook_id(httpserver: HTTPServer) -> None:
    channel, fake, http = hook(httpserver, WHSEC, text_response(500, "busy"))
    with pytest.raises(DeliveryError):
        channel.send(ALERT, http)
    channel.send(ALERT, http)
    assert [request.headers["webhook-id"] for request in fake.received] == [ALERT.id, ALERT.id]
    for request in fake.received:
        Verifier(WHSEC).verify(request.get_data(), dict(request.headers))


def test_an_unsigned_channel_sends_no_signature_headers(httpserver: HTTPServer) -> None:
    channel, fake, http = hook(httpserver, None)
    channel.send(ALERT, http)
    (request,) = fake.received
    assert not [name for name, _value in request.headers.items() if name.lower().startswith("webhook-")]


def test_timestamp_comes_from_the_clock() -> None:
    config = WebhookChannel(type="webhook", url="https://hook.example/x", secret=WHSEC)
    channel = Webhook("hook", config, clock=lambda: 1_800_000_000.9)
    headers = channel.headers(ALERT, channel.payload(ALERT))
    assert headers["webhook-timestamp"] == "1800000000"


@pytest.mark.parametrize(
    ("secret", "key"),
    [(WHSEC, KEY), ("whsec_" + base64.b64encode(b"k").decode(), b"k"), (PLAIN_SECRET, PLAIN_SECRET.encode())],
)
def test_secret_key_decodes_whsec_and_takes_other_secrets_as_utf8(secret: str, key: bytes) -> None:
    assert secret_key(secret) == key


@pytest.mark.parametrize("secret", ["whsec_not base64!", "whsec_"])
def test_a_malformed_whsec_secret_is_a_config_error(secret: str) -> None:
    with pytest.raises(ConfigError, match="webhook secret"):
        channel_for("hook", WebhookChannel(type="webhook", url="https://hook.example/x", secret=secret))


def test_a_match_under_a_prominence_rule_says_where_it_was_found() -> None:
    from worker.alerts.model import AlertMatch
    from worker.alerts.webhook import match_dict

    plain = AlertMatch("modi", "leader", 3, ("मोदी",))
    placed = AlertMatch("modi", "leader", 3, ("मोदी",), "lede")
    assert "where" not in match_dict(plain)
    assert match_dict(placed)["where"] == "lede"
