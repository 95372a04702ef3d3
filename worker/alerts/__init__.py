"""Alert channels: one small module per platform, each a pure payload builder and a one-line send.

``channel_for(name, config)`` builds the channel a config entry describes; ``Channel.send(alert, http)``
delivers or raises :class:`~worker.errors.DeliveryError`.
"""

from __future__ import annotations

from worker.alerts.base import Channel, ChatMigratedError
from worker.alerts.console import Console
from worker.alerts.discord import Discord
from worker.alerts.googlechat import GoogleChat
from worker.alerts.mattermost import Mattermost
from worker.alerts.retry import MAX_ATTEMPTS, RATE_LIMITS, RETRY_SCHEDULE_S, next_attempt_delay_s, rate_limits_for
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


def channel_for(name: str, config: ChannelConfig) -> Channel:
    """The channel for one entry of the config's ``channels``; no secret is unwrapped until it sends."""
    match config:
        case SlackChannel():
            return Slack(name, config)
        case DiscordChannel():
            return Discord(name, config)
        case TeamsChannel():
            return Teams(name, config)
        case GoogleChatChannel():
            return GoogleChat(name, config)
        case MattermostChannel():
            return Mattermost(name, config)
        case WebhookChannel():
            return Webhook(name, config)
        case TelegramChannel():
            return Telegram(name, config)
        case ConsoleChannel():
            return Console(name, config)
    raise TypeError(f"no channel for config type {type(config).__name__}")


__all__ = [
    "MAX_ATTEMPTS",
    "RATE_LIMITS",
    "RETRY_SCHEDULE_S",
    "Channel",
    "ChatMigratedError",
    "channel_for",
    "next_attempt_delay_s",
    "rate_limits_for",
]
