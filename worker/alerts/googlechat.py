"""Google Chat incoming webhooks: a card (cardsV2) whose paragraphs use Chat's small HTML subset.

Cards, unlike plain ``text``, never turn ``<users/all>`` into a mention, so feed text goes only into cards.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, ClassVar

from worker.alerts.base import Channel
from worker.alerts.digest import Digest, DigestView, Entry, StoryLine, part_label
from worker.alerts.digest import sections as digest_sections
from worker.alerts.limits import (
    GOOGLECHAT_PAYLOAD_BUDGET_BYTES,
    HEADING_BUDGET_CHARS,
    MATCHES_BUDGET_CHARS,
    SNIPPET_BUDGET_CHARS,
)
from worker.alerts.markup import HTML, escape_html, escape_plain, safe_url
from worker.alerts.model import Alert
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import Runs, cut_runs, fit, fit_text, graphemes, json_bytes_len, plain, utf16_len
from worker.alerts.view import PRODUCT_NAME, READ_MORE, AlertView, matches_runs
from worker.config.models import GoogleChatChannel


def paragraph(text: str) -> dict[str, Any]:
    return {"textParagraph": {"text": text}}


def title_html(view: AlertView, url: str | None) -> str:
    def build(title: str) -> str:
        linked = f'<a href="{html.escape(url, quote=True)}">{escape_html(title)}</a>' if url else escape_html(title)
        return f"<b>{linked}</b>"

    return fit_text(view.title, build, utf16_len, HEADING_BUDGET_CHARS)


def sections(view: AlertView, snippet: Runs) -> list[dict[str, Any]]:
    url = safe_url(view.url)
    matches = fit(matches_runs(view.matches), HTML.runs, utf16_len, MATCHES_BUDGET_CHARS)
    widgets = [paragraph(title_html(view, url)), paragraph(escape_html(view.byline))]
    found: list[dict[str, Any]] = [paragraph(matches.replace("\n", "<br>"))]
    if snippet:
        found.append(paragraph(f"<i>{HTML.runs(snippet)}</i>"))
    result = [{"widgets": widgets}, {"widgets": found}]
    if url:
        button = {"text": READ_MORE, "onClick": {"openLink": {"url": url}}}
        result.append({"widgets": [{"buttonList": {"buttons": [button]}}]})
    return result


def googlechat_payload(view: AlertView) -> dict[str, Any]:
    def build(snippet: Runs) -> dict[str, Any]:
        header = {"title": PRODUCT_NAME, "subtitle": view.watchlist}
        card = {"header": header, "sections": sections(view, snippet)}
        return {"cardsV2": [{"cardId": f"alert-{view.id}", "card": card}]}

    snippet = view.snippet
    if len(graphemes(plain(snippet))) > SNIPPET_BUDGET_CHARS:
        snippet = cut_runs(snippet, SNIPPET_BUDGET_CHARS)
    return fit(snippet, build, json_bytes_len, GOOGLECHAT_PAYLOAD_BUDGET_BYTES)


class GoogleChat(Channel):
    kind = "googlechat"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})
    rate_limit = (1, 1.0)  # per space (60 per minute)

    def __init__(self, name: str, config: GoogleChatChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return googlechat_payload(AlertView.of(alert))

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"text": escape_plain(text)}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return googlechat_digest_payloads(DigestView.of(digest))

    def target(self) -> str:
        return self.config.url.get_secret_value()


# --- digests (worker.flow): a card per part, a section per entity, a linked paragraph per story ---


def googlechat_digest_payloads(view: DigestView) -> list[dict[str, Any]]:
    return split_parts(view.entries, lambda entries, part: _googlechat_digest(view, entries, part), _googlechat_fits)


def _googlechat_digest(view: DigestView, entries: Sequence[Entry], part: Part | None) -> dict[str, Any]:
    card_sections = [
        {"header": escape_html(entity), "widgets": [paragraph(_googlechat_story(story)) for story in stories]}
        for entity, stories in digest_sections(entries)
    ]
    header = {"title": PRODUCT_NAME, "subtitle": view.heading + part_label(part)}
    number = part[0] if part else 1
    card = {"header": header, "sections": card_sections}
    return {"cardsV2": [{"cardId": f"{view.id}-{number}", "card": card}]}


def _googlechat_story(story: StoryLine) -> str:
    url = safe_url(story.url)
    title = escape_html(story.title)
    linked = f'<a href="{html.escape(url, quote=True)}">{title}</a>' if url else title
    return f"<b>{linked}</b><br>{escape_html(story.byline)}"


def _googlechat_fits(payload: dict[str, Any]) -> bool:
    return json_bytes_len(payload) <= GOOGLECHAT_PAYLOAD_BUDGET_BYTES
