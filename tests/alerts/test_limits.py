"""Every message stays within its platform's limits however long the feed's title and text, and is never
a template for the feed's text: mentions and markup in a title or snippet arrive inert."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.alerts.sample import make_alert
from tests.alerts.test_payloads import CHANNELS
from worker.alerts.discord import embed_total_chars
from worker.alerts.limits import (
    DISCORD_EMBED_AUTHOR_MAX_CHARS,
    DISCORD_EMBED_DESCRIPTION_MAX_CHARS,
    DISCORD_EMBED_FOOTER_MAX_CHARS,
    DISCORD_EMBED_TITLE_MAX_CHARS,
    DISCORD_EMBED_TOTAL_MAX_CHARS,
    GOOGLECHAT_MESSAGE_MAX_BYTES,
    MATTERMOST_TEXT_MAX_CHARS,
    SLACK_BLOCKS_MAX,
    SLACK_FALLBACK_MAX_CHARS,
    SLACK_SECTION_MAX_CHARS,
    TEAMS_PAYLOAD_MAX_BYTES,
    TELEGRAM_TEXT_MAX_CHARS,
    WEBHOOK_PAYLOAD_MAX_BYTES,
)
from worker.alerts.model import Alert, AlertMatch
from worker.alerts.text import TRUNCATION_MARKER, graphemes, json_text, utf8_len, utf16_len

CONJUNCTS = "क्षत्रिय स्त्री राष्ट्रपति श्रृंखला द्विपक्षीय "
HUGE_TITLE = CONJUNCTS * 1_500
HUGE_SNIPPET = ("व्लादिमीर पुतिन ने कहा कि & <b> " + CONJUNCTS) * 3_000
MANY_MATCHES = tuple(
    AlertMatch(f"entity-{index}", "leader", index, (f"नेता{index} क्षत्रिय", f"दूसरा नाम {index}")) for index in range(300)
)
AMPERSANDS = "&" * 5_000


def huge_alerts() -> list[tuple[str, Alert]]:
    alerts = [
        ("huge title", make_alert(title=HUGE_TITLE)),
        ("huge snippet", make_alert(snippet=HUGE_SNIPPET)),
        ("huge everything", make_alert(title=HUGE_TITLE, snippet=HUGE_SNIPPET, outlet=HUGE_TITLE)),
        ("escape-heavy", make_alert(title=AMPERSANDS, snippet=AMPERSANDS + "<" * 5_000, outlet=AMPERSANDS)),
        ("long url", make_alert(url="https://example.in/?" + "&a=1" * 240, title=AMPERSANDS)),
    ]
    first = alerts[2][1]
    alerts.append(("many matches", Alert(first.id, first.watchlist, first.channel, first.article, MANY_MATCHES)))
    return alerts


HUGE = huge_alerts()
HUGE_IDS = [name for name, _ in HUGE]


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings(value)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_slack_sections_and_blocks_fit(alert: Alert) -> None:
    payload = CHANNELS["slack"].payload(alert)
    assert len(payload["blocks"]) <= SLACK_BLOCKS_MAX
    assert utf16_len(payload["text"]) <= SLACK_FALLBACK_MAX_CHARS
    for block in payload["blocks"]:
        for text in strings(block):
            assert utf16_len(text) <= SLACK_SECTION_MAX_CHARS


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_discord_embed_fits_every_limit(alert: Alert) -> None:
    payload = CHANNELS["discord"].payload(alert)
    (embed,) = payload["embeds"]
    assert utf16_len(embed["title"]) <= DISCORD_EMBED_TITLE_MAX_CHARS
    assert utf16_len(embed["description"]) <= DISCORD_EMBED_DESCRIPTION_MAX_CHARS
    assert utf16_len(embed["author"]["name"]) <= DISCORD_EMBED_AUTHOR_MAX_CHARS
    assert utf16_len(embed["footer"]["text"]) <= DISCORD_EMBED_FOOTER_MAX_CHARS
    assert embed_total_chars(embed) <= DISCORD_EMBED_TOTAL_MAX_CHARS
    assert "content" not in payload


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_telegram_text_fits(alert: Alert) -> None:
    assert utf16_len(CHANNELS["telegram"].payload(alert)["text"]) <= TELEGRAM_TEXT_MAX_CHARS


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_teams_payload_fits_counted_as_utf8_and_as_utf16(alert: Alert) -> None:
    body = json_text(CHANNELS["teams"].payload(alert))
    assert utf8_len(body) <= TEAMS_PAYLOAD_MAX_BYTES
    assert 2 * utf16_len(body) <= TEAMS_PAYLOAD_MAX_BYTES


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_googlechat_payload_fits(alert: Alert) -> None:
    assert utf8_len(json_text(CHANNELS["googlechat"].payload(alert))) <= GOOGLECHAT_MESSAGE_MAX_BYTES


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE], ids=HUGE_IDS)
def test_mattermost_text_fits(alert: Alert) -> None:
    assert utf16_len(CHANNELS["mattermost"].payload(alert)["text"]) <= MATTERMOST_TEXT_MAX_CHARS


@pytest.mark.parametrize("alert", [alert for _, alert in HUGE[:-1]], ids=HUGE_IDS[:-1])
def test_generic_webhook_payload_stays_under_twenty_kilobytes(alert: Alert) -> None:
    payload = CHANNELS["webhook"].payload(alert)
    assert utf8_len(json_text(payload)) <= WEBHOOK_PAYLOAD_MAX_BYTES
    assert payload["matches"] == [
        {"entity": m.entity, "kind": m.kind, "count": m.count, "names": list(m.names)} for m in alert.matches
    ]


def test_generic_webhook_cuts_the_snippet_before_the_title() -> None:
    payload = CHANNELS["webhook"].payload(make_alert(snippet=HUGE_SNIPPET))
    assert payload["article"]["title"] == "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा"
    assert payload["article"]["snippet"].endswith(TRUNCATION_MARKER)
    assert HUGE_SNIPPET.startswith(payload["article"]["snippet"].removesuffix(TRUNCATION_MARKER))


@pytest.mark.parametrize("kind", ["slack", "discord", "telegram", "mattermost", "googlechat", "teams"])
def test_a_cut_title_ends_in_the_marker_on_a_cluster_boundary(kind: str) -> None:
    body = json.dumps(CHANNELS[kind].payload(make_alert(title=HUGE_TITLE)), ensure_ascii=False)
    cut = body[body.index("क्षत्रिय") :]
    cut = cut[: cut.index(TRUNCATION_MARKER)]
    assert HUGE_TITLE.startswith(cut)
    assert graphemes(cut) == graphemes(HUGE_TITLE)[: len(graphemes(cut))]


INJECTION = "@everyone @here <!channel> <!here> <@U024BE7LH> <@&123> <users/all> **बोल्ड** <b>x</b> [क्लिक](javascript:x)"
# What would ping or format on each platform if it arrived as written.
LIVE_EVERYWHERE = ["@everyone", "@here", "<@U024BE7LH>", "<@&123>"]
LIVE: dict[str, list[str]] = {
    "slack": [*LIVE_EVERYWHERE, "<!channel>", "<!here>"],
    "discord": [*LIVE_EVERYWHERE, "**बोल्ड**", "[क्लिक](javascript:x)"],
    "mattermost": [*LIVE_EVERYWHERE, "**बोल्ड**", "[क्लिक](javascript:x)"],
    "telegram": [*LIVE_EVERYWHERE, "<b>x</b>"],
    "googlechat": [*LIVE_EVERYWHERE, "<users/all>", "<b>x</b>"],
    "teams": LIVE_EVERYWHERE,  # TextRuns show text as written: no Markdown, no HTML, no <at> without entities
}
# How the same text arrives instead.
INERT: dict[str, list[str]] = {
    "slack": ["&lt;!channel&gt;", "&lt;@\u2060U024BE7LH&gt;"],
    "discord": ["\\*\\*बोल्ड\\*\\*", "\\[क्लिक\\]"],
    "mattermost": ["\\*\\*बोल्ड\\*\\*", "\\[क्लिक\\]"],
    "telegram": ["&lt;b&gt;x&lt;/b&gt;"],
    "googlechat": ["&lt;users/all&gt;", "&lt;b&gt;x&lt;/b&gt;"],
    "teams": ["<b>x</b> [क्लिक](javascript:x)"],
}


@pytest.mark.parametrize("kind", sorted(INERT))
@pytest.mark.parametrize("field", ["title", "snippet", "outlet"])
def test_mentions_and_markup_from_the_feed_arrive_inert(kind: str, field: str) -> None:
    texts = "\n".join(strings(CHANNELS[kind].payload(make_alert(**{field: INJECTION}))))
    # Discord's embed author and Teams' TextRuns show the outlet as plain text: only mentions matter there.
    for live in LIVE_EVERYWHERE if field == "outlet" and kind in ("discord", "teams") else LIVE[kind]:
        assert live not in texts, f"{kind} {field}: {live!r} would ping or format"
    if field != "outlet":  # the outlet is cut short before the markup
        for inert in INERT[kind]:
            assert inert in texts, f"{kind} {field}: expected {inert!r}"


def test_discord_never_lets_mentions_ping_even_from_config_names() -> None:
    assert CHANNELS["discord"].payload(make_alert())["allowed_mentions"] == {"parse": []}


PLATFORM_FITS = {
    "slack": lambda p: all(utf16_len(text) <= SLACK_SECTION_MAX_CHARS for text in strings(p["blocks"])),
    "discord": lambda p: (
        embed_total_chars(p["embeds"][0]) <= DISCORD_EMBED_TOTAL_MAX_CHARS
        and utf16_len(p["embeds"][0]["description"]) <= DISCORD_EMBED_DESCRIPTION_MAX_CHARS
    ),
    "telegram": lambda p: utf16_len(p["text"]) <= TELEGRAM_TEXT_MAX_CHARS,
    "teams": lambda p: utf8_len(json_text(p)) <= TEAMS_PAYLOAD_MAX_BYTES,
    "googlechat": lambda p: utf8_len(json_text(p)) <= GOOGLECHAT_MESSAGE_MAX_BYTES,
    "mattermost": lambda p: utf16_len(p["text"]) <= MATTERMOST_TEXT_MAX_CHARS,
    "webhook": lambda p: utf8_len(json_text(p)) <= WEBHOOK_PAYLOAD_MAX_BYTES,
}
FEED_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x0900, max_codepoint=0x097F) | st.sampled_from(" &<>*_[]@#\n\u200d"),
    max_size=12_000,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(title=FEED_TEXT, snippet=FEED_TEXT, outlet=FEED_TEXT)
def test_random_feed_text_always_fits_every_platform(title: str, snippet: str, outlet: str) -> None:
    alert = make_alert(title=title, snippet=snippet, outlet=outlet)
    for kind, fits in PLATFORM_FITS.items():
        assert fits(CHANNELS[kind].payload(alert)), kind
