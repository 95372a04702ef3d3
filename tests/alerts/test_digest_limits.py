"""Digests on every platform: within its limits, split into numbered parts, every story in exactly one part,
grouped by entity with Hindi headings, and a single alert too large for a message cut with its link kept."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook as Verifier

from tests.alerts.sample import ALERT, MATCHES
from tests.alerts.test_limits import HUGE_TITLE
from tests.alerts.test_payloads import CHANNELS
from tests.alerts.test_webhook import WHSEC, hook
from worker.alerts.console import Console
from worker.alerts.digest import Digest
from worker.alerts.discord import embed_total_chars
from worker.alerts.limits import (
    DISCORD_EMBED_DESCRIPTION_MAX_CHARS,
    DISCORD_EMBED_TITLE_MAX_CHARS,
    DISCORD_EMBED_TOTAL_MAX_CHARS,
    DISCORD_EMBEDS_MAX,
    GOOGLECHAT_MESSAGE_MAX_BYTES,
    MATTERMOST_TEXT_MAX_CHARS,
    SLACK_BLOCKS_MAX,
    SLACK_FALLBACK_MAX_CHARS,
    SLACK_SECTION_MAX_CHARS,
    TEAMS_PAYLOAD_MAX_BYTES,
    TELEGRAM_TEXT_MAX_CHARS,
    WEBHOOK_PAYLOAD_MAX_BYTES,
)
from worker.alerts.model import Alert
from worker.alerts.text import TRUNCATION_MARKER, json_bytes_len, json_text, utf16_len
from worker.config.models import ConsoleChannel

STORIES = 240
TOKEN = re.compile(r"ख़बर-(\d{3,4})-")


def numbered(number: int, *, story: str | None = None, outlet: str = "उदाहरण समाचार") -> dict[str, Any]:
    article = replace(
        ALERT.article, url=f"https://example.in/{number}?a=1&b=2", title=f"ख़बर-{number:03d}- & <b>@here क्षत्रिय " * 3
    )
    alert = Alert(f"a{number}", "world-leaders", "desk", replace(article, outlet=outlet), (MATCHES[number % 3],))
    data = alert.to_dict()
    if story:
        data["story"] = story
    return data


def big_digest() -> Digest:
    alerts = [numbered(number) for number in range(STORIES)]
    alerts += [numbered(1000 + n, story=None, outlet=f"दूसरा {n}") | {"story": "s7"} for n in range(3)]
    alerts[7] = alerts[7] | {"story": "s7"}
    return Digest("digest-1", "world-leaders", "desk", "quiet_hours", "w", tuple(alerts))


def within_limits(kind: str, payload: dict[str, Any]) -> bool:
    if kind == "slack":
        sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
        return (
            len(payload["blocks"]) <= SLACK_BLOCKS_MAX
            and all(utf16_len(text) <= SLACK_SECTION_MAX_CHARS for text in sections)
            and utf16_len(payload["text"]) <= SLACK_FALLBACK_MAX_CHARS
        )
    if kind == "discord":
        embeds = payload["embeds"]
        return (
            len(embeds) <= DISCORD_EMBEDS_MAX
            and sum(map(embed_total_chars, embeds)) <= DISCORD_EMBED_TOTAL_MAX_CHARS
            and all(utf16_len(e["title"]) <= DISCORD_EMBED_TITLE_MAX_CHARS for e in embeds)
            and all(utf16_len(e["description"]) <= DISCORD_EMBED_DESCRIPTION_MAX_CHARS for e in embeds)
        )
    limits = {
        "telegram": lambda p: utf16_len(p["text"]) <= TELEGRAM_TEXT_MAX_CHARS,
        "mattermost": lambda p: utf16_len(p["text"]) <= MATTERMOST_TEXT_MAX_CHARS,
        "teams": lambda p: json_bytes_len(p) <= TEAMS_PAYLOAD_MAX_BYTES,
        "googlechat": lambda p: json_bytes_len(p) <= GOOGLECHAT_MESSAGE_MAX_BYTES,
        "webhook": lambda p: json_bytes_len(p) <= WEBHOOK_PAYLOAD_MAX_BYTES,
    }
    return bool(limits[kind](payload))


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_a_large_digest_is_split_into_numbered_parts_within_the_limits(kind: str) -> None:
    parts = CHANNELS[kind].digest_payloads(big_digest())
    assert len(parts) > 1
    assert all(within_limits(kind, part) for part in parts)
    labels = [f"({number}/{len(parts)})" for number in range(1, len(parts) + 1)]
    if kind == "webhook":
        assert [(part["part"], part["parts"]) for part in parts] == [(n, len(parts)) for n in range(1, len(parts) + 1)]
    else:
        assert all(label in json_text(part) for label, part in zip(labels, parts, strict=True))


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_every_story_is_in_exactly_one_part(kind: str) -> None:
    parts = CHANNELS[kind].digest_payloads(big_digest())
    seen = [int(found) for part in parts for found in TOKEN.findall(json_text(part))]
    per_title = 3  # each title repeats its token three times
    expected = list(range(STORIES)) + ([1000, 1001, 1002] if kind == "webhook" else [])
    assert sorted(seen) == sorted(number for number in expected for _ in range(per_title))


@pytest.mark.parametrize("kind", sorted(set(CHANNELS) - {"webhook"}))
def test_a_story_lists_its_other_outlets_under_an_entity_heading_in_hindi(kind: str) -> None:
    text = json.dumps(CHANNELS[kind].digest_payloads(big_digest()), ensure_ascii=False)
    assert "और भी: दूसरा 0, दूसरा 1, दूसरा 2" in text
    assert "शांत घंटों की ख़बरें" in text and "नेता · putin" in text and "विषय · sanctions" in text
    assert "@\u2060here" in text and "@here" not in text


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_a_single_alert_larger_than_a_message_is_cut_with_its_link(kind: str) -> None:
    alert = replace(ALERT, article=replace(ALERT.article, title=HUGE_TITLE, snippet=HUGE_TITLE))
    digest = Digest("digest-2", "world-leaders", "desk", "burst", "w", (alert.to_dict(),))
    parts = CHANNELS[kind].digest_payloads(digest)
    assert len(parts) == 1 and within_limits(kind, parts[0])
    text = json_text(parts[0])
    assert TRUNCATION_MARKER in text and "example-news.in/world/putin-kim-bhent-123.html" in text


def test_the_webhook_digest_is_the_product_payload_signed_like_alerts(httpserver: HTTPServer) -> None:
    channel, fake, http = hook(httpserver, WHSEC)
    digest = Digest("digest-3", "world-leaders", "hook", "schedule", "w", (ALERT.to_dict(),))
    assert channel.send_digest_part(digest, 0, http) == 1
    (request,) = fake.received
    verified = Verifier(WHSEC).verify(request.get_data(), dict(request.headers))
    assert verified == {
        "type": "digest",
        "id": "digest-3",
        "watchlist": "world-leaders",
        "reason": "schedule",
        "alerts": [channel.payload(ALERT)],
    }
    assert request.headers["webhook-id"] == "digest-3"


def test_the_console_prints_the_whole_digest() -> None:
    console = Console("terminal", ConsoleChannel(type="console"))
    (payload,) = console.digest_payloads(big_digest())
    assert all(f"ख़बर-{number:03d}-" in payload["text"] for number in range(STORIES))
