"""channel_for builds the channel each config type describes; the console prints alerts readably."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from tests.alerts.sample import ALERT
from worker.alerts import channel_for
from worker.alerts.base import Channel
from worker.alerts.console import BOLD_ON, Console
from worker.alerts.discord import Discord
from worker.alerts.googlechat import GoogleChat
from worker.alerts.mattermost import Mattermost
from worker.alerts.sample import sample_alert
from worker.alerts.slack import Slack
from worker.alerts.teams import Teams
from worker.alerts.telegram import Telegram
from worker.alerts.webhook import Webhook
from worker.config.models import (
    ChannelConfig,
    ConsoleChannel,
    DiscordChannel,
    GoogleChatChannel,
    MattermostChannel,
    SlackChannel,
    TeamsChannel,
    TelegramChannel,
    WebhookChannel,
)

URL = "https://hooks.example/CANARY-secret-path-0123456789"


@pytest.mark.parametrize(
    ("config", "cls"),
    [
        (SlackChannel(type="slack", url=URL), Slack),
        (DiscordChannel(type="discord", url=URL), Discord),
        (TeamsChannel(type="teams", url=URL), Teams),
        (GoogleChatChannel(type="googlechat", url=URL), GoogleChat),
        (MattermostChannel(type="mattermost", url=URL), Mattermost),
        (WebhookChannel(type="webhook", url=URL), Webhook),
        (TelegramChannel(type="telegram", token="1:CANARY", chat_id="5"), Telegram),
        (ConsoleChannel(type="console"), Console),
    ],
)
def test_channel_for_builds_the_configured_type(config: ChannelConfig, cls: type[Channel]) -> None:
    channel = channel_for("desk", config)
    assert type(channel) is cls
    assert channel.kind == config.type
    assert "CANARY" not in repr(vars(channel)), "secrets stay wrapped in SecretStr until send time"
    assert "CANARY" not in channel.where()
    assert channel.where() in {"hooks.example", "api.telegram.org", "stdout"}


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_console_prints_a_readable_alert() -> None:
    stream = io.StringIO()
    Console("terminal", ConsoleChannel(type="console"), stream=stream).send(ALERT, http=None)  # type: ignore[arg-type]
    assert stream.getvalue() == (
        "── khabardar · world-leaders ───────────────────────────────\n"
        "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा\n"
        "https://www.example-news.in/world/putin-kim-bhent-123.html\n"
        "उदाहरण समाचार · 28 नवंबर 2026, 14:05 IST\n"
        "नेता putin: व्लादिमीर पुतिन, पुतिन (3×)\n"
        "नेता kim-jong-un: किम जोंग उन (1×)\n"
        "विषय sanctions: प्रतिबंध (2×)\n"
        "» रूस के राष्ट्रपति व्लादिमीर पुतिन ने प्योंगयांग में किम जोंग उन से मुलाकात की। "
        "दोनों नेताओं ने पश्चिमी प्रतिबंधों पर चर्चा की।\n"
    )


def test_console_bolds_title_and_names_on_a_terminal() -> None:
    stream = FakeTerminal()
    Console("terminal", ConsoleChannel(type="console"), stream=stream).send(ALERT, http=None)  # type: ignore[arg-type]
    assert f"{BOLD_ON}व्लादिमीर पुतिन" in stream.getvalue()
    assert stream.getvalue().count(BOLD_ON) == 4


def test_sample_alert_is_complete_and_new_each_time() -> None:
    first = sample_alert("desk", now=datetime(2026, 11, 28, 8, 35, tzinfo=UTC))
    second = sample_alert("desk", now=datetime(2026, 11, 28, 8, 36, tzinfo=UTC))
    assert first.id != second.id
    assert first.channel == "desk" and first.article.published is not None
    text = Slack("desk", SlackChannel(type="slack", url=URL)).payload(first)["blocks"][2]["text"]["text"]
    assert "*नरेंद्र मोदी*" in text and "*चुनाव*" in text
