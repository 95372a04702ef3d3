"""What each platform gets when a sent alert is shown again with its story's later copies: the request built
(``update_request``), the receipt kept from the first post, and the answers that count as done."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import replace
from typing import Any

import pytest
from requests.structures import CaseInsensitiveDict

from tests.alerts.sample import ALERT
from tests.alerts.test_payloads import CHANNELS as PAYLOAD_CHANNELS
from worker.alerts import channel_for
from worker.alerts.base import Channel, MessageGoneError
from worker.alerts.model import Copy
from worker.alerts.text import json_text
from worker.alerts.view import AlertView
from worker.config.models import (
    ConsoleChannel,
    DiscordChannel,
    WebhookChannel,
)
from worker.errors import DeliveryError
from worker.http import HttpResponse

SECRET = "an-update-signing-secret"
COPIES = (
    Copy("https://www.amarujala.com/a/1", "अमर उजाला", "पुतिन-किम भेंट", "2026-11-28T09:00:00+00:00"),
    Copy("https://www.livehindustan.com/b/2", "लाइव हिन्दुस्तान", "किम से मिले पुतिन", None),
    Copy("https://navbharattimes.indiatimes.com/c/3", "नवभारत टाइम्स", "पुतिन की यात्रा", None),
)
UPDATED = replace(ALERT, also_in=COPIES)
ALSO_IN = "और भी: अमर उजाला, लाइव हिन्दुस्तान, नवभारत टाइम्स"
CHANNELS: dict[str, Channel] = {
    **PAYLOAD_CHANNELS,  # the same platforms; a Discord thread and a signing secret matter to an update
    "discord": channel_for(
        "d", DiscordChannel(type="discord", url="https://discord.example/api/webhooks/1/tok?thread_id=77")
    ),
    "webhook": channel_for("h", WebhookChannel(type="webhook", url="https://hook.example/x", secret=SECRET)),
    "console": channel_for("c", ConsoleChannel(type="console")),
}


def _json(status: int, body: object) -> HttpResponse:
    return HttpResponse("https://x.example/", status, CaseInsensitiveDict(), json.dumps(body).encode())


@pytest.mark.parametrize(
    ("kind", "receipt"),
    [("slack", ""), ("teams", ""), ("googlechat", ""), ("mattermost", ""), ("console", ""), ("discord", "")],
)
def test_a_platform_that_cannot_edit_gets_no_update_request(kind: str, receipt: str) -> None:
    """Slack incoming webhooks, Teams, Google Chat and Mattermost cannot edit; Discord cannot without a message id."""
    assert CHANNELS[kind].update_request(UPDATED, receipt, len(COPIES)) is None


def test_discord_edits_the_posted_message_with_a_patch_to_its_messages_url() -> None:
    request = CHANNELS["discord"].update_request(UPDATED, "112233", 3)
    assert request is not None
    assert (request.method, request.url) == (
        "PATCH",
        "https://discord.example/api/webhooks/1/tok/messages/112233?thread_id=77",
    )
    embed = request.payload["embeds"][0]
    assert embed["footer"]["text"] == f"28 नवंबर 2026, 14:05 IST · {ALSO_IN} · world-leaders · khabardar"
    assert embed["title"] == CHANNELS["discord"].payload(ALERT)["embeds"][0]["title"]  # the same message, re-rendered
    assert request.payload["allowed_mentions"] == {"parse": []}


def test_discord_posts_with_wait_true_and_keeps_the_message_id() -> None:
    assert CHANNELS["discord"].post_target() == "https://discord.example/api/webhooks/1/tok?thread_id=77&wait=true"
    assert CHANNELS["discord"].receipt(_json(200, {"id": "112233", "type": 0})) == "112233"


def test_telegram_edits_with_edit_message_text_and_the_kept_message_id() -> None:
    request = CHANNELS["telegram"].update_request(UPDATED, "42", 3)
    assert request is not None
    assert (request.method, request.url) == ("POST", "https://api.telegram.org/bot123:abc/editMessageText")
    assert request.payload["message_id"] == 42 and request.payload["chat_id"] == "-100123"
    assert request.payload["parse_mode"] == "HTML"
    assert f"उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST · {ALSO_IN}" in request.payload["text"]
    assert CHANNELS["telegram"].receipt(_json(200, {"ok": True, "result": {"message_id": 42}})) == "42"


@pytest.mark.parametrize(
    ("status", "description", "raises"),
    [
        (400, "Bad Request: message is not modified: specified new message content is the same", False),
        (400, "Bad Request: message to edit not found", True),
        (200, "", False),
    ],
)
def test_telegram_message_not_modified_counts_as_done(status: int, description: str, raises: bool) -> None:
    response = _json(status, {"ok": status == 200, "description": description})
    if raises:
        with pytest.raises(DeliveryError):
            CHANNELS["telegram"].check(response)
    else:
        CHANNELS["telegram"].check(response)


def test_webhook_update_is_alert_updated_with_the_same_id_the_article_unchanged_and_every_copy() -> None:
    created = CHANNELS["webhook"].payload(ALERT)
    request = CHANNELS["webhook"].update_request(UPDATED, "", 3)
    assert request is not None and (request.method, request.url) == ("POST", "https://hook.example/x")
    payload = request.payload
    assert payload["type"] == "alert.updated" and created["type"] == "alert.created"
    assert {key: payload[key] for key in ("id", "watchlist", "article", "matches")} == {
        key: created[key] for key in ("id", "watchlist", "article", "matches")
    }
    assert payload["also_in"] == [
        {"url": copy.url, "outlet": copy.outlet, "title": copy.title, "published": copy.published} for copy in COPIES
    ]


def test_webhook_update_is_signed_with_the_alert_id_and_its_version() -> None:
    request = CHANNELS["webhook"].update_request(UPDATED, "", 3)
    assert request is not None
    headers = request.headers
    assert headers["webhook-id"] == f"{ALERT.id}.v3"
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{json_text(request.payload)}".encode()
    expected = base64.b64encode(hmac.new(SECRET.encode(), signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"


def test_the_first_alert_shows_copies_known_when_it_goes() -> None:
    assert ALSO_IN in AlertView.of(UPDATED).byline
    assert CHANNELS["webhook"].payload(UPDATED)["also_in"][0]["outlet"] == "अमर उजाला"
    assert "also_in" not in CHANNELS["webhook"].payload(ALERT)  # none known: the payload is as before


@pytest.mark.parametrize(
    ("outlets", "shown"),
    [
        (["अमर उजाला"], "और भी: अमर उजाला"),
        (["उदाहरण समाचार", "अमर उजाला", "अमर उजाला"], "और भी: अमर उजाला"),  # its own outlet, and repeats, once
        ([f"पत्र {n}" for n in range(9)], "और भी: पत्र 0, पत्र 1, पत्र 2, पत्र 3, पत्र 4, पत्र 5 +3"),
        ([], ""),
    ],
)
def test_also_in_names_the_other_outlets_and_counts_the_rest(outlets: list[str], shown: str) -> None:
    copies = tuple(Copy(f"https://x.example/{n}", outlet, "", None) for n, outlet in enumerate(outlets))
    assert AlertView.of(replace(ALERT, also_in=copies)).also_in_text == shown


def test_a_webhook_update_with_many_long_copies_stays_under_the_size_cap() -> None:
    many = tuple(Copy(f"https://x.example/{'क' * 300}/{n}", f"पत्र {n}", "श" * 400, None) for n in range(100))
    request = CHANNELS["webhook"].update_request(replace(ALERT, also_in=many), "", 100)
    assert request is not None
    body: dict[str, Any] = request.payload
    assert len(json_text(body).encode()) <= 20_000
    assert body["also_in"] and body["also_in"][-1]["url"].endswith("/99")  # the newest copies stay


@pytest.mark.parametrize(
    ("kind", "status", "body", "gone", "permanent"),
    [
        ("discord", 404, {"message": "Unknown Message", "code": 10008}, True, False),  # deleted in the channel
        ("discord", 404, {"message": "Unknown Webhook", "code": 10015}, False, True),  # the webhook itself is gone
        ("telegram", 400, {"ok": False, "description": "Bad Request: message to edit not found"}, True, False),
        ("telegram", 400, {"ok": False, "description": "Bad Request: message can't be edited"}, True, False),
        ("telegram", 403, {"ok": False, "description": "Forbidden: bot was kicked from the group chat"}, False, True),
    ],
)
def test_a_deleted_message_fails_its_update_without_disabling_the_channel(
    kind: str, status: int, body: dict[str, Any], gone: bool, permanent: bool
) -> None:
    with pytest.raises(DeliveryError) as raised:
        CHANNELS[kind].check(_json(status, body))
    assert (isinstance(raised.value, MessageGoneError), raised.value.permanent) == (gone, permanent)
