"""Slack incoming webhooks: Block Kit sections with a plain fallback for notifications."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from worker.alerts.base import Channel
from worker.alerts.digest import Digest, DigestView, Entry, StoryLine, part_label, sections
from worker.alerts.limits import (
    HEADING_BUDGET_CHARS,
    MATCHES_BUDGET_CHARS,
    SLACK_BLOCKS_MAX,
    SLACK_FALLBACK_MAX_CHARS,
    SLACK_SECTION_MAX_CHARS,
    SNIPPET_BUDGET_CHARS,
)
from worker.alerts.markup import SLACK, escape_slack, safe_url
from worker.alerts.model import Alert
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import Runs, fit, fit_text, utf16_len
from worker.alerts.view import AlertView, matches_runs
from worker.config.models import SlackChannel
from worker.http import HttpResponse

# Slack's error bodies are plain words; these mean the webhook will never work again.
PERMANENT_ERRORS = frozenset(
    {"channel_is_archived", "channel_not_found", "no_service", "no_team", "team_disabled", "invalid_token"}
)


def title_section(view: AlertView) -> str:
    url = safe_url(view.url)

    def build(title: str) -> str:
        heading = f"*<{escape_slack(url)}|{escape_slack(title)}>*" if url else f"*{escape_slack(title)}*"
        return f"{heading}\n{escape_slack(view.byline)}"

    return fit_text(view.title, build, utf16_len, HEADING_BUDGET_CHARS)


def quoted(runs: Runs) -> str:
    return "> " + SLACK.runs(runs)


def slack_blocks(view: AlertView) -> list[dict[str, Any]]:
    sections = [
        title_section(view),
        fit(matches_runs(view.matches), SLACK.runs, utf16_len, min(MATCHES_BUDGET_CHARS, SLACK_SECTION_MAX_CHARS)),
    ]
    if view.snippet:
        sections.append(fit(view.snippet, quoted, utf16_len, min(SNIPPET_BUDGET_CHARS, SLACK_SECTION_MAX_CHARS)))
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": s}} for s in sections]
    footer = {"type": "mrkdwn", "text": escape_slack(view.footer)}
    return [*blocks, {"type": "context", "elements": [footer]}]


def slack_payload(view: AlertView) -> dict[str, Any]:
    return {
        "text": fit_text(f"{view.title} — {view.outlet}", escape_slack, utf16_len, SLACK_FALLBACK_MAX_CHARS),
        "blocks": slack_blocks(view),
        "unfurl_links": False,
        "unfurl_media": False,
    }


class Slack(Channel):
    kind = "slack"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({404, 410})
    rate_limit = (1, 1.0)  # per incoming webhook

    def __init__(self, name: str, config: SlackChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return slack_payload(AlertView.of(alert))

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"text": escape_slack(text), "unfurl_links": False, "unfurl_media": False}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return slack_digest_payloads(DigestView.of(digest))

    def target(self) -> str:
        return self.config.url.get_secret_value()

    @classmethod
    def is_permanent(cls, response: HttpResponse, detail: str) -> bool:
        return response.status in cls.permanent_statuses or detail in PERMANENT_ERRORS


# --- digests (worker.flow): a section per story under a bold line per entity, at most SLACK_BLOCKS_MAX blocks ---


def slack_digest_payloads(view: DigestView) -> list[dict[str, Any]]:
    return split_parts(view.entries, lambda entries, part: _slack_digest(view, entries, part), _slack_fits)


def _slack_digest(view: DigestView, entries: Sequence[Entry], part: Part | None) -> dict[str, Any]:
    heading = escape_slack(view.heading + part_label(part))
    blocks: list[dict[str, Any]] = [_mrkdwn_section(f"*{heading}*")]
    for entity, stories in sections(entries):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"*{escape_slack(entity)}*"}]})
        blocks += [_mrkdwn_section(_slack_story(story)) for story in stories]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape_slack(view.footer)}]})
    fallback = fit_text(view.heading + part_label(part), escape_slack, utf16_len, SLACK_FALLBACK_MAX_CHARS)
    return {"text": fallback, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _slack_story(story: StoryLine) -> str:
    url = safe_url(story.url)
    title = f"<{escape_slack(url)}|{escape_slack(story.title)}>" if url else escape_slack(story.title)
    return f"• *{title}*\n{escape_slack(story.byline)}"


def _mrkdwn_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _slack_fits(payload: dict[str, Any]) -> bool:
    blocks = payload["blocks"]
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    return len(blocks) <= SLACK_BLOCKS_MAX and all(utf16_len(text) <= SLACK_SECTION_MAX_CHARS for text in texts)
