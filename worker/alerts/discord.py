"""Discord webhooks: one embed, and ``allowed_mentions`` that lets nothing ping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from worker.alerts.base import Channel, MessageGoneError, UpdateRequest, json_field, seconds
from worker.alerts.digest import Digest, DigestView, Entry, StoryLine, part_label, sections
from worker.alerts.limits import (
    DISCORD_EMBED_DESCRIPTION_MAX_CHARS,
    DISCORD_EMBED_TITLE_MAX_CHARS,
    DISCORD_EMBED_TOTAL_MAX_CHARS,
    DISCORD_EMBEDS_MAX,
    MATCHES_BUDGET_CHARS,
    SNIPPET_BUDGET_CHARS,
)
from worker.alerts.markup import MARKDOWN, escape_markdown, escape_plain, safe_url
from worker.alerts.model import Alert
from worker.alerts.parts import Part, split_parts
from worker.alerts.text import Runs, fit, fit_text, utf16_len
from worker.alerts.view import AlertView, matches_runs
from worker.config.models import DiscordChannel
from worker.http import HttpResponse

UNKNOWN_MESSAGE_CODE = 10008  # a 404 for a message deleted in the channel; the webhook (10015) is still there
EMBED_COLOR = 0xD9480F  # a saffron that reads on light and dark themes
# Embed parts that count toward Discord's 6,000-character total.
_COUNTED_PARTS = (("title",), ("description",), ("author", "name"), ("footer", "text"))


def embed_total_chars(embed: dict[str, Any]) -> int:
    total = 0
    for path in _COUNTED_PARTS:
        value: Any = embed
        for key in path:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        total += utf16_len(value) if isinstance(value, str) else 0
    return total


def description(view: AlertView) -> str:
    matches = fit(matches_runs(view.matches), MARKDOWN.runs, utf16_len, MATCHES_BUDGET_CHARS)
    if not view.snippet:
        return matches

    def build(snippet: Runs) -> str:
        return f"{matches}\n\n> {MARKDOWN.runs(snippet)}"

    budget = min(DISCORD_EMBED_DESCRIPTION_MAX_CHARS, MATCHES_BUDGET_CHARS + SNIPPET_BUDGET_CHARS)
    return fit(view.snippet, build, utf16_len, budget)


def discord_embed(view: AlertView) -> dict[str, Any]:
    embed: dict[str, Any] = {
        "title": fit_text(view.title, escape_markdown, utf16_len, DISCORD_EMBED_TITLE_MAX_CHARS),
        "description": description(view),
        "color": EMBED_COLOR,
        "author": {"name": escape_plain(view.outlet)},  # author and footer show plain text: no Markdown to escape
        # short: a time, the other outlets (at most ALSO_IN_SHOWN_MAX names) and a config name
        "footer": {
            "text": escape_plain(" · ".join(part for part in (view.when, view.also_in_text, view.footer) if part))
        },
    }
    url = safe_url(view.url)
    if url:
        embed["url"] = url
    return embed


def discord_payload(view: AlertView) -> dict[str, Any]:
    # The parts' budgets add up to less than DISCORD_EMBED_TOTAL_MAX_CHARS (tests/alerts/test_limits.py checks).
    return {"embeds": [discord_embed(view)], "allowed_mentions": {"parse": []}}


def with_query(url: str, **values: str) -> str:
    """``url`` with these query parameters set (any it had are kept)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | values
    return urlunsplit(parts._replace(query=urlencode(query)))


class Discord(Channel):
    kind = "discord"
    permanent_statuses: ClassVar[frozenset[int]] = frozenset({401, 403, 404, 410})
    rate_limit = (5, 2.0)  # per webhook

    def __init__(self, name: str, config: DiscordChannel) -> None:
        super().__init__(name)
        self.config = config

    def payload(self, alert: Alert) -> dict[str, Any]:
        return discord_payload(AlertView.of(alert))

    def notice_payload(self, text: str) -> dict[str, Any]:
        return {"content": escape_markdown(text), "allowed_mentions": {"parse": []}}

    def digest_payloads(self, digest: Digest) -> list[dict[str, Any]]:
        return discord_digest_payloads(DigestView.of(digest))

    def target(self) -> str:
        return self.config.url.get_secret_value()

    def post_target(self) -> str:
        """``?wait=true``: Discord then answers with the message it made (200 and its id), not a bare 204."""
        return with_query(self.target(), wait="true")

    @classmethod
    def receipt(cls, response: HttpResponse) -> str:
        message_id = json_field(response, "id")
        return str(message_id) if isinstance(message_id, str | int) else ""

    def update_request(self, alert: Alert, receipt: str, version: int) -> UpdateRequest | None:
        """Edit the webhook's message: PATCH ``/webhooks/{id}/{token}/messages/{message_id}``, re-rendered with the
        other outlets in its footer (the query, a thread_id, stays: a message in a thread is edited there)."""
        if not receipt:
            return None  # posted without ?wait=true (before message ids were kept): nothing to address
        parts = urlsplit(self.target())
        url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/messages/{quote(receipt, safe='')}"))
        return UpdateRequest("PATCH", url, discord_payload(AlertView.of(alert)))

    @classmethod
    def check(cls, response: HttpResponse, label: str = "") -> None:
        if response.status == 404 and json_field(response, "code") == UNKNOWN_MESSAGE_CODE:
            raise MessageGoneError(f"{label or 'discord channel'}: the message to edit was deleted", status=404)
        super().check(response, label)

    @classmethod
    def retry_after_s(cls, response: HttpResponse) -> float | None:
        """The JSON ``retry_after`` (float seconds), else ``X-RateLimit-Reset-After``, else ``Retry-After``."""
        for value in (
            json_field(response, "retry_after"),
            response.headers.get("X-RateLimit-Reset-After"),
            response.headers.get("Retry-After"),
        ):
            if seconds(value) is not None:
                return seconds(value)
        return None

    @classmethod
    def error_detail(cls, response: HttpResponse) -> str:
        message = json_field(response, "message")
        return str(message) if isinstance(message, str) else super().error_detail(response)


# --- digests (worker.flow): one embed per message, the stories listed in its description ---


def discord_digest_payloads(view: DigestView) -> list[dict[str, Any]]:
    return split_parts(view.entries, lambda entries, part: _discord_digest(view, entries, part), _discord_fits)


def _discord_digest(view: DigestView, entries: Sequence[Entry], part: Part | None) -> dict[str, Any]:
    lines: list[str] = []
    for entity, stories in sections(entries):
        lines += [f"**{escape_markdown(entity)}**", *(_discord_story(story) for story in stories), ""]
    embed = {
        "title": escape_markdown(view.heading + part_label(part)),
        "description": "\n".join(lines).strip(),
        "color": EMBED_COLOR,
        "footer": {"text": escape_plain(view.footer)},
    }
    return {"embeds": [embed], "allowed_mentions": {"parse": []}}


def _discord_story(story: StoryLine) -> str:
    url = safe_url(story.url)
    title = escape_markdown(story.title)
    return f"• {f'[{title}]({url})' if url else title}\n  {escape_markdown(story.byline)}"


def _discord_fits(payload: dict[str, Any]) -> bool:
    embeds = payload["embeds"]
    return (
        len(embeds) <= DISCORD_EMBEDS_MAX
        and sum(embed_total_chars(embed) for embed in embeds) <= DISCORD_EMBED_TOTAL_MAX_CHARS
        and all(utf16_len(embed["title"]) <= DISCORD_EMBED_TITLE_MAX_CHARS for embed in embeds)
        and all(utf16_len(embed["description"]) <= DISCORD_EMBED_DESCRIPTION_MAX_CHARS for embed in embeds)
    )
