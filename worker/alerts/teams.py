"""Microsoft Teams through a Workflows webhook: an Adaptive Card built from RichTextBlocks.

TextRuns are shown as written (no Markdown, no HTML), so feed text needs no escaping beyond the mention
defuse, and bold is a property of the run rather than markup that a title could break.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from worker.alerts.base import Channel, JsonPoster
from worker.alerts.digest import Digest, DigestView, Entry, StoryLine, part_label, sections
from worker.alerts.limits import MATCHES_BUDGET_CHARS, SNIPPET_BUDGET_CHARS, TEAMS_PAYLOAD_BUDGET_BYTES
from worker.alerts.markup import escape_plain, safe_url
from worker.alerts.model import Alert
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import Runs, cut_runs, fit, graphemes, json_bytes_len, plain, utf16_len
from worker.alerts.view import READ_MORE, AlertView, matches_runs
from worker.config.models import TeamsChannel
from worker.errors import DeliveryError

ADAPTIVE_CARD_VERSION = "1.4"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def text_run(text: str, *, bold: bool = False, **extra: Any) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": escape_plain(text), **extra}
    if bold:
        run["weight"] = "Bolder"
    return run


def rich_text(runs: Runs, **extra: Any) -> dict[str, Any]:
    inlines = [text_run(text, bold=bold) for text, bold in runs]
    return {"type": "RichTextBlock", "inlines": inlines, **extra}


def match_blocks(matches: Runs) -> list[dict[str, Any]]:
    """One RichTextBlock per matched entity (a TextRun cannot be relied on to break lines)."""
    lines: list[list[tuple[str, bool]]] = [[]]
    for text, bold in matches:
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, bold))
    blocks = [rich_text(tuple(line), spacing="None") for line in lines if line]
    if blocks:
        blocks[0] = {**blocks[0], "separator": True, "spacing": "Medium"}
    return blocks


def title_block(view: AlertView, url: str | None) -> dict[str, Any]:
    link = {"selectAction": {"type": "Action.OpenUrl", "url": url}} if url else {}
    return {"type": "RichTextBlock", "inlines": [text_run(view.title, bold=True, size="Large", **link)]}


def teams_card(view: AlertView, snippet: Runs) -> dict[str, Any]:
    url = safe_url(view.url)
    matches = fit(
        matches_runs(view.matches), lambda runs: runs, lambda runs: utf16_len(plain(runs)), MATCHES_BUDGET_CHARS
    )
    body = [
        title_block(view, url),
        rich_text(((view.byline, False),), spacing="None"),
        *match_blocks(matches),
        *([rich_text(snippet)] if snippet else []),
        rich_text(((view.footer, False),), spacing="Small"),
    ]
    card: dict[str, Any] = {"$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": ADAPTIVE_CARD_VERSION}
    card["body"] = body
    if url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": READ_MORE, "url": url}]
    return card


def teams_payload(view: AlertView, *, compact: bool = False) -> dict[str, Any]:
    """The Workflows message; ``compact`` leaves the snippet out (the answer to a 413)."""

    def build(snippet: Runs) -> dict[str, Any]:
        card = teams_card(view, () if compact else snippet)
        attachment = {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
        return {"type": "message", "attachments": [attachment]}

    snippet = view.snippet
    if len(graphemes(plain(snippet))) > SNIPPET_BUDGET_CHARS:
        snippet = cut_runs(snippet, SNIPPET_BUDGET_CHARS)
    return fit(snippet, build, json_bytes_len, TEAMS_PAYLOAD_BUDGET_BYTES)


class Teams(Channel):
    kind = "teams"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})
    rate_limit = (4, 1.0)  # per Workflows webhook

    def __init__(self, name: str, config: TeamsChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return teams_payload(AlertView.of(alert))

    def notice_payload(self, text: str) -> dict[str, Any]:
        """One wrapped TextBlock: a notice is a sentence or two, with no title or link to lay out."""
        block = {"type": "TextBlock", "text": escape_plain(text), "wrap": True}
        card = {"$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": ADAPTIVE_CARD_VERSION}
        message = {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "content": card | {"body": [block]}}
        return {"type": "message", "attachments": [message]}

    def target(self) -> str:
        return self.config.url.get_secret_value()

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return teams_digest_payloads(DigestView.of(digest))

    def send(self, alert: Alert, http: JsonPoster) -> str:
        """A 413 (the service counts size its own way) gets one more try without the snippet."""
        try:
            return super().send(alert, http)
        except DeliveryError as exc:
            if exc.status != 413:
                raise
            self.deliver(http, teams_payload(AlertView.of(alert), compact=True), {})
            return ""


# --- digests (worker.flow): an Adaptive Card per part, a bold line per entity and a linked title per story ---


def teams_digest_payloads(view: DigestView) -> list[dict[str, Any]]:
    return split_parts(view.entries, lambda entries, part: _teams_digest(view, entries, part), _teams_fits)


def _teams_digest(view: DigestView, entries: Sequence[Entry], part: Part | None) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "RichTextBlock", "inlines": [text_run(view.heading + part_label(part), bold=True, size="Large")]}
    ]
    for entity, stories in sections(entries):
        body.append(rich_text(((entity, True),), separator=True, spacing="Medium"))
        body += [block for story in stories for block in _teams_story(story)]
    body.append(rich_text(((view.footer, False),), spacing="Small"))
    card = {"$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": ADAPTIVE_CARD_VERSION, "body": body}
    attachment = {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
    return {"type": "message", "attachments": [attachment]}


def _teams_story(story: StoryLine) -> list[dict[str, Any]]:
    url = safe_url(story.url)
    link = {"selectAction": {"type": "Action.OpenUrl", "url": url}} if url else {}
    title = {"type": "RichTextBlock", "inlines": [text_run(story.title, bold=True, **link)], "spacing": "Small"}
    return [title, rich_text(((story.byline, False),), spacing="None")]


def _teams_fits(payload: dict[str, Any]) -> bool:
    return json_bytes_len(payload) <= TEAMS_PAYLOAD_BUDGET_BYTES
