"""What each platform receives for one alert, byte for byte where the format is ours to fix."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.alerts.sample import ALERT, make_alert
from worker.alerts import channel_for
from worker.alerts.base import Channel
from worker.alerts.text import json_text
from worker.config.models import (
    DiscordChannel,
    GoogleChatChannel,
    MattermostChannel,
    SlackChannel,
    TeamsChannel,
    TelegramChannel,
    WebhookChannel,
)

URL = "https://www.example-news.in/world/putin-kim-bhent-123.html"
SNIPPET_BOLD = (
    "रूस के राष्ट्रपति *व्लादिमीर पुतिन* ने प्योंगयांग में *किम जोंग उन* से मुलाकात की। दोनों नेताओं ने पश्चिमी *प्रतिबंधों* पर चर्चा की।"
)
CHANNELS: dict[str, Channel] = {
    "slack": channel_for("desk-slack", SlackChannel(type="slack", url="https://hooks.example/T/B/x")),
    "discord": channel_for(
        "desk-discord", DiscordChannel(type="discord", url="https://discord.example/api/webhooks/1/x")
    ),
    "teams": channel_for("desk-teams", TeamsChannel(type="teams", url="https://teams.example/workflows/x")),
    "googlechat": channel_for("desk-gchat", GoogleChatChannel(type="googlechat", url="https://chat.example/v1/x")),
    "mattermost": channel_for("desk-mm", MattermostChannel(type="mattermost", url="https://mm.example/hooks/x")),
    "webhook": channel_for("hook", WebhookChannel(type="webhook", url="https://hook.example/x")),
    "telegram": channel_for("desk-tg", TelegramChannel(type="telegram", token="123:abc", chat_id="-100123")),
}


def test_slack_payload_is_block_kit_with_a_fallback() -> None:
    assert CHANNELS["slack"].payload(ALERT) == {
        "text": "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा — उदाहरण समाचार",
        "blocks": [
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*<{URL}|पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा>*\n"
                    "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST",
                },
            },
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "*नेता* putin: व्लादिमीर पुतिन, पुतिन (3×)\n*नेता* kim-jong-un: किम जोंग उन (1×)\n"
                    "*विषय* sanctions: प्रतिबंध (2×)",
                },
            },
            {"type": "section", "text": {"type": "mrkdwn", "text": "> " + SNIPPET_BOLD}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "world-leaders · khabardar"}]},
        ],
        "unfurl_links": False,
        "unfurl_media": False,
    }


def test_discord_payload_is_one_embed_that_pings_nobody() -> None:
    assert CHANNELS["discord"].payload(ALERT) == {
        "embeds": [
            {
                "title": "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा",
                "description": "**नेता** putin: व्लादिमीर पुतिन, पुतिन (3×)\n**नेता** kim-jong-un: किम जोंग उन (1×)\n"
                "**विषय** sanctions: प्रतिबंध (2×)\n\n> " + SNIPPET_BOLD.replace("*", "**"),
                "color": 0xD9480F,
                "author": {"name": "उदाहरण समाचार"},
                "footer": {"text": "28 नवंबर 2026, 14:05 IST · world-leaders · khabardar"},
                "url": URL,
            }
        ],
        "allowed_mentions": {"parse": []},
    }


def test_telegram_payload_is_html_send_message_without_link_preview() -> None:
    snippet = SNIPPET_BOLD.replace("*व्लादिमीर पुतिन*", "<b>व्लादिमीर पुतिन</b>")
    snippet = snippet.replace("*किम जोंग उन*", "<b>किम जोंग उन</b>").replace("*प्रतिबंधों*", "<b>प्रतिबंधों</b>")
    assert CHANNELS["telegram"].payload(ALERT) == {
        "chat_id": "-100123",
        "text": f'<b><a href="{URL}">पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा</a></b>\n'
        "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST\n\n"
        "<b>नेता</b> putin: व्लादिमीर पुतिन, पुतिन (3×)\n<b>नेता</b> kim-jong-un: किम जोंग उन (1×)\n"
        "<b>विषय</b> sanctions: प्रतिबंध (2×)\n\n"
        f"<blockquote>{snippet}</blockquote>\n\n<i>world-leaders · khabardar</i>",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }


def test_telegram_posts_to_send_message_under_the_configured_api_url() -> None:
    channel = channel_for(
        "tg", TelegramChannel(type="telegram", token="123:abc", chat_id="5", api_url="http://127.0.0.1:8081/")
    )
    assert channel.target() == "http://127.0.0.1:8081/bot123:abc/sendMessage"


def test_generic_webhook_payload_is_exactly_the_documented_json() -> None:
    assert json_text(CHANNELS["webhook"].payload(ALERT)) == (
        '{"type": "alert.created", "id": "3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d", "watchlist": "world-leaders", '
        f'"article": {{"url": "{URL}", "title": "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा", '
        '"source": "example-world", "published": "2026-11-28T08:35:00+00:00", '
        '"snippet": "रूस के राष्ट्रपति व्लादिमीर पुतिन ने प्योंगयांग में किम जोंग उन से मुलाकात की। '
        'दोनों नेताओं ने पश्चिमी प्रतिबंधों पर चर्चा की।"}, '
        '"matches": [{"entity": "putin", "kind": "leader", "count": 3, "names": ["व्लादिमीर पुतिन", "पुतिन"]}, '
        '{"entity": "kim-jong-un", "kind": "leader", "count": 1, "names": ["किम जोंग उन"]}, '
        '{"entity": "sanctions", "kind": "topic", "count": 2, "names": ["प्रतिबंध"]}]}'
    )


def test_generic_webhook_payload_has_null_for_an_unknown_publication_time() -> None:
    assert CHANNELS["webhook"].payload(make_alert(published=None))["article"]["published"] is None


def test_mattermost_payload_is_one_markdown_message() -> None:
    assert CHANNELS["mattermost"].payload(ALERT) == {
        "text": f"#### [पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा]({URL})\n"
        "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST\n\n"
        "**नेता** putin: व्लादिमीर पुतिन, पुतिन (3×)  \n**नेता** kim-jong-un: किम जोंग उन (1×)  \n"
        "**विषय** sanctions: प्रतिबंध (2×)\n\n> " + SNIPPET_BOLD.replace("*", "**") + "\n\n_world-leaders · khabardar_"
    }


def card_texts(node: Any) -> list[str]:
    """Every "text" value in a card, depth first."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [text for value in node.values() for text in card_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in card_texts(value)]
    return []


def test_teams_payload_is_an_adaptive_card_in_a_workflows_message() -> None:
    payload = CHANNELS["teams"].payload(ALERT)
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    title_run = card["body"][0]["inlines"][0]
    assert title_run["text"] == "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा"
    assert title_run["selectAction"] == {"type": "Action.OpenUrl", "url": URL}
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "पूरी ख़बर पढ़ें", "url": URL}]
    bold = [run["text"] for block in card["body"] for run in block["inlines"] if run.get("weight") == "Bolder"]
    assert bold == [title_run["text"], "नेता", "नेता", "विषय", "व्लादिमीर पुतिन", "किम जोंग उन", "प्रतिबंधों"]
    assert "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST" in card_texts(card)


def test_googlechat_payload_is_a_card_with_the_article_link() -> None:
    payload = CHANNELS["googlechat"].payload(ALERT)
    assert set(payload) == {"cardsV2"}, "plain `text` would turn <users/all> in a title into a mention"
    (card,) = payload["cardsV2"]
    assert card["cardId"] == "alert-3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d"
    texts = card_texts(card)
    assert f'<b><a href="{URL}">पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा</a></b>' in texts
    assert "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST" in texts
    assert any("<b>व्लादिमीर पुतिन</b>" in text for text in texts)


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_payload_building_is_pure(kind: str) -> None:
    assert json_text(CHANNELS[kind].payload(ALERT)) == json_text(CHANNELS[kind].payload(ALERT))


@pytest.mark.parametrize("kind", sorted(CHANNELS))
def test_every_message_carries_title_outlet_time_and_matched_names(kind: str) -> None:
    body = json.dumps(CHANNELS[kind].payload(ALERT), ensure_ascii=False)
    expected = ["पुतिन और किम जोंग उन की मुलाकात", "व्लादिमीर पुतिन", "किम जोंग उन", "प्रतिबंध", URL]
    if kind != "webhook":
        expected += ["उदाहरण समाचार", "28 नवंबर 2026, 14:05 IST", "putin", "kim-jong-un", "sanctions"]
    for text in expected:
        assert text in body, f"{kind} lacks {text!r}"


@pytest.mark.parametrize("kind", sorted(set(CHANNELS) - {"webhook"}))
def test_an_article_without_link_or_snippet_still_gives_a_readable_message(kind: str) -> None:
    body = json.dumps(CHANNELS[kind].payload(make_alert(url="javascript:alert(1)", snippet="")), ensure_ascii=False)
    assert "javascript:" not in body
    assert "पुतिन और किम जोंग उन की मुलाकात" in body
