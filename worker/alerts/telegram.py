"""Telegram Bot API ``sendMessage`` in HTML parse mode; ``api_url`` points at a self-hosted Bot API when set."""

from __future__ import annotations

import html
from typing import Any, ClassVar

from worker.alerts.base import (
    Channel,
    MessageGoneError,
    MovedError,
    RateLimit,
    UpdateRequest,
    excerpt,
    json_field,
    seconds,
)
from worker.alerts.chat_text import ChatMarkup, alert_text, digest_texts
from worker.alerts.digest import Digest, DigestView
from worker.alerts.limits import TELEGRAM_TEXT_MAX_CHARS
from worker.alerts.markup import HTML, escape_html
from worker.alerts.model import Alert
from worker.alerts.view import AlertView
from worker.config.models import TelegramChannel
from worker.http import HttpResponse

GROUP_RATE_LIMIT: RateLimit = (20, 60.0)  # per group or channel chat, on top of the per-chat limit
GROUP_BUCKET = "telegram-group"
NO_PREVIEW = {"is_disabled": True}
NOT_MODIFIED = "message is not modified"  # editMessageText's 400 when the text is already the same
GONE_DESCRIPTIONS = ("message to edit not found", "message can't be edited")  # deleted in the chat, or too old
# Digests: one HTML message per part, within TELEGRAM_TEXT_MAX_CHARS.
CHAT_MARKUP = ChatMarkup(
    markup=HTML,
    heading="<b>{}</b>",
    footer="<i>{}</i>",
    link='<a href="{url}">{title}</a>',
    url_escape=lambda url: html.escape(url, quote=True),
    quote="<blockquote>{}</blockquote>",
    bullet="• ",
    line_break="\n",
    alert_max_chars=TELEGRAM_TEXT_MAX_CHARS,
    max_chars=TELEGRAM_TEXT_MAX_CHARS,
)

# Telegram's descriptions that mean this chat will never accept the bot's messages again.
PERMANENT_DESCRIPTIONS = (
    "bot was blocked",
    "bot was kicked",
    "bot is not a member",
    "chat not found",
    "user is deactivated",
    "have no rights to send",
    "need administrator rights",
)


class ChatMigratedError(MovedError):
    """Telegram moved the group to a supergroup: permanent for this chat id, but ``migrate_to_chat_id`` works."""

    @property
    def migrate_to_chat_id(self) -> str:
        return self.address


class Telegram(Channel):
    kind = "telegram"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})
    rate_limit = (1, 1.0)  # per chat

    def __init__(self, name: str, config: TelegramChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return {
            "chat_id": self.config.chat_id,
            "text": alert_text(AlertView.of(alert), CHAT_MARKUP),
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True},
        }

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"chat_id": self.config.chat_id, "text": escape_html(text), "parse_mode": "HTML"}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return [
            {"chat_id": self.config.chat_id, "text": text, "parse_mode": "HTML", "link_preview_options": NO_PREVIEW}
            for text in digest_texts(DigestView.of(digest), CHAT_MARKUP)
        ]

    def rate_limits(self) -> dict[str, RateLimit]:
        group = {GROUP_BUCKET: GROUP_RATE_LIMIT} if self.config.chat_id.startswith("-") else {}
        return super().rate_limits() | group

    def address(self) -> str:
        return self.config.chat_id

    def redirected(self, address: str) -> Telegram:
        """The same channel posting to chat ``address``: where Telegram said a group went when it became a
        supergroup."""
        return Telegram(self.name, self.config.model_copy(update={"chat_id": address}))

    def address_hint(self, address: str) -> str:
        return f"set chat_id: {address!r}"

    def target(self) -> str:
        return self._method_url("sendMessage")

    def _method_url(self, method: str) -> str:
        api_url = str(self.config.api_url).rstrip("/")
        return f"{api_url}/bot{self.config.token.get_secret_value()}/{method}"

    @classmethod
    def receipt(cls, response: HttpResponse) -> str:
        message_id = json_field(response, "result", "message_id")
        return str(message_id) if isinstance(message_id, int) and not isinstance(message_id, bool) else ""

    def update_request(self, alert: Alert, receipt: str, version: int) -> UpdateRequest | None:
        """``editMessageText`` of the message sent as ``receipt``: the same text, the other outlets in its byline."""
        if not receipt.isdigit():
            return None
        payload = {**self.payload(alert), "message_id": int(receipt)}
        return UpdateRequest("POST", self._method_url("editMessageText"), payload)

    def secrets(self) -> tuple[str, ...]:
        return (self.target(), self.config.token.get_secret_value())

    @classmethod
    def check(cls, response: HttpResponse, label: str = "") -> None:
        detail = cls.error_detail(response).lower()
        if response.status == 400 and NOT_MODIFIED in detail:
            return  # an edit that shows what the message shows already: it says what we meant it to say
        if response.status == 400 and any(text in detail for text in GONE_DESCRIPTIONS):
            raise MessageGoneError(f"{label or 'telegram channel'}: the message to edit is gone ({detail})", status=400)
        migrate_to = json_field(response, "parameters", "migrate_to_chat_id")
        if response.status >= 300 and migrate_to is not None:
            raise ChatMigratedError(
                f"{label or 'telegram channel'}: the group became a supergroup; set chat_id to {migrate_to}",
                address=str(migrate_to),
                status=response.status,
            )
        super().check(response, label)

    @classmethod
    def is_permanent(cls, response: HttpResponse, detail: str) -> bool:
        lowered = detail.lower()
        return response.status in cls.permanent_statuses or any(text in lowered for text in PERMANENT_DESCRIPTIONS)

    @classmethod
    def retry_after_s(cls, response: HttpResponse) -> float | None:
        from_body = seconds(json_field(response, "parameters", "retry_after"))
        return from_body if from_body is not None else super().retry_after_s(response)

    @classmethod
    def error_detail(cls, response: HttpResponse) -> str:
        description = json_field(response, "description")
        return excerpt(description) if isinstance(description, str) else super().error_detail(response)
