"""Loopback stand-ins for the chat platforms: each checks what it receives the way the platform does and
answers in the platform's own form (success code, 429 shape, size rejection, permanent errors)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from worker.alerts.limits import (
    DISCORD_EMBED_DESCRIPTION_MAX_CHARS,
    DISCORD_EMBED_TITLE_MAX_CHARS,
    SLACK_BLOCKS_MAX,
    SLACK_SECTION_MAX_CHARS,
    TEAMS_PAYLOAD_MAX_BYTES,
    TELEGRAM_TEXT_MAX_CHARS,
)
from worker.alerts.text import utf16_len

TELEGRAM_TOKEN = "987654:CANARY-telegram-token-5f3e"


def ops_notices(server: HTTPServer, path: str = "/ops") -> list[str]:
    """The text of every notice a Slack-shaped ops channel at ``path`` received, in order."""
    return [json.loads(request.get_data())["text"] for request, _ in server.log if request.path == path]


def text_response(status: int, body: str = "", **headers: str) -> Response:
    return Response(body, status=status, headers=headers, content_type="text/plain; charset=utf-8")


def json_response(status: int, body: dict[str, Any], **headers: str) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def telegram_error(code: int, description: str, **parameters: object) -> dict[str, object]:
    body: dict[str, object] = {"ok": False, "error_code": code, "description": description}
    return {**body, "parameters": parameters} if parameters else body


def slack_check(payload: dict[str, Any]) -> Response | None:
    blocks = payload.get("blocks", [])
    sections = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    if len(blocks) > SLACK_BLOCKS_MAX or any(utf16_len(text) > SLACK_SECTION_MAX_CHARS for text in sections):
        return text_response(400, "invalid_blocks")
    return None


def discord_check(payload: dict[str, Any]) -> Response | None:
    embed = payload["embeds"][0]
    too_long = utf16_len(embed["title"]) > DISCORD_EMBED_TITLE_MAX_CHARS or (
        utf16_len(embed["description"]) > DISCORD_EMBED_DESCRIPTION_MAX_CHARS
    )
    if too_long or payload.get("allowed_mentions") != {"parse": []}:
        return json_response(400, {"message": "Invalid Form Body", "code": 50035})
    return None


def telegram_check(payload: dict[str, Any]) -> Response | None:
    if payload.get("parse_mode") != "HTML" or utf16_len(payload["text"]) > TELEGRAM_TEXT_MAX_CHARS:
        return json_response(400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
    return None


PLATFORM_SUCCESS: dict[str, Callable[[], Response]] = {
    "slack": lambda: text_response(200, "ok"),
    "discord": lambda: Response(status=204),
    "teams": lambda: Response(status=202),
    "telegram": lambda: json_response(200, {"ok": True, "result": {"message_id": 42}}),
    "googlechat": lambda: json_response(200, {"name": "spaces/AAA/messages/BBB"}),
    "mattermost": lambda: text_response(200, "ok"),
    "webhook": lambda: Response(status=200),
}
PLATFORM_CHECKS: dict[str, Callable[[dict[str, Any]], Response | None]] = {
    "slack": slack_check,
    "discord": discord_check,
    "telegram": telegram_check,
}


@dataclass
class FakePlatform:
    """One platform's endpoint. ``answers`` are served first, in order; then it behaves like the platform."""

    kind: str
    answers: list[Response] = field(default_factory=list)
    max_body_bytes: int = TEAMS_PAYLOAD_MAX_BYTES
    received: list[Request] = field(default_factory=list)

    def __call__(self, request: Request) -> Response:
        self.received.append(request)
        if self.answers:
            return self.answers.pop(0)
        if self.kind == "teams" and len(request.get_data()) > self.max_body_bytes:
            return text_response(413, "Request Entity Too Large")
        rejection = PLATFORM_CHECKS.get(self.kind, lambda _payload: None)(request.get_json())
        return rejection or PLATFORM_SUCCESS[self.kind]()

    def payloads(self) -> list[Any]:
        return [json.loads(request.get_data()) for request in self.received]
