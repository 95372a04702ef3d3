"""Mattermost incoming webhooks: one Markdown message; @channel, @all, @here and @user are defused."""

from __future__ import annotations

from typing import Any, ClassVar

from worker.alerts.base import Channel
from worker.alerts.digest import Digest, DigestView
from worker.alerts.digest_text import TextDigestMarkup, digest_texts
from worker.alerts.limits import (
    HEADING_BUDGET_CHARS,
    MATCHES_BUDGET_CHARS,
    MATTERMOST_TEXT_MAX_CHARS,
    SNIPPET_BUDGET_CHARS,
)
from worker.alerts.markup import MARKDOWN, escape_markdown, safe_url
from worker.alerts.model import Alert
from worker.alerts.text import Runs, fit, fit_text, utf16_len
from worker.alerts.view import AlertView, matches_runs
from worker.config.models import MattermostChannel

# Digests: one Markdown post per part, within MATTERMOST_TEXT_MAX_CHARS.
DIGEST_MARKUP = TextDigestMarkup(
    markup=MARKDOWN,
    heading="#### {}",
    footer="_{}_",
    link="[{title}]({url})",
    url_escape=str,
    bullet="- ",
    line_break="  \n",
    max_chars=MATTERMOST_TEXT_MAX_CHARS,
)


def heading(view: AlertView) -> str:
    url = safe_url(view.url)

    def build(title: str) -> str:
        linked = f"[{escape_markdown(title)}]({url})" if url else escape_markdown(title)
        return f"#### {linked}\n{escape_markdown(view.byline)}"

    return fit_text(view.title, build, utf16_len, HEADING_BUDGET_CHARS)


def mattermost_text(view: AlertView) -> str:
    head = heading(view)
    matches = fit(matches_runs(view.matches), MARKDOWN.runs, utf16_len, MATCHES_BUDGET_CHARS).replace("\n", "  \n")
    footer = f"_{escape_markdown(view.footer)}_"

    def build(snippet: Runs) -> str:
        quote = f"\n\n> {MARKDOWN.runs(snippet)}" if snippet else ""
        return f"{head}\n\n{matches}{quote}\n\n{footer}"

    return fit(view.snippet, build, utf16_len, HEADING_BUDGET_CHARS + MATCHES_BUDGET_CHARS + SNIPPET_BUDGET_CHARS)


class Mattermost(Channel):
    kind = "mattermost"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})

    def __init__(self, name: str, config: MattermostChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return {"text": mattermost_text(AlertView.of(alert))}

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"text": escape_markdown(text)}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return [{"text": text} for text in digest_texts(DigestView.of(digest), DIGEST_MARKUP)]

    def target(self) -> str:
        return self.config.url.get_secret_value()
