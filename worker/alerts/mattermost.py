"""Mattermost incoming webhooks: one Markdown message; @channel, @all, @here and @user are defused."""

from __future__ import annotations

from typing import Any, ClassVar

from worker.alerts.base import Channel
from worker.alerts.chat_text import ChatMarkup, alert_text, digest_texts
from worker.alerts.digest import Digest, DigestView
from worker.alerts.limits import (
    HEADING_BUDGET_CHARS,
    MATCHES_BUDGET_CHARS,
    MATTERMOST_TEXT_MAX_CHARS,
    SNIPPET_BUDGET_CHARS,
)
from worker.alerts.markup import MARKDOWN, escape_markdown
from worker.alerts.model import Alert
from worker.alerts.view import AlertView
from worker.config.models import MattermostChannel

# One Markdown post per alert, and per digest part within MATTERMOST_TEXT_MAX_CHARS.
CHAT_MARKUP = ChatMarkup(
    markup=MARKDOWN,
    heading="#### {}",
    footer="_{}_",
    link="[{title}]({url})",
    url_escape=str,
    quote="> {}",
    bullet="- ",
    line_break="  \n",
    alert_max_chars=HEADING_BUDGET_CHARS + MATCHES_BUDGET_CHARS + SNIPPET_BUDGET_CHARS,
    max_chars=MATTERMOST_TEXT_MAX_CHARS,
)


class Mattermost(Channel):
    kind = "mattermost"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})

    def __init__(self, name: str, config: MattermostChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return {"text": alert_text(AlertView.of(alert), CHAT_MARKUP)}

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"text": escape_markdown(text)}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return [{"text": text} for text in digest_texts(DigestView.of(digest), CHAT_MARKUP)]

    def target(self) -> str:
        return self.config.url.get_secret_value()
