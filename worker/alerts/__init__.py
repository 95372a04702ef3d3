"""Alert channels: one small module per platform, each a pure payload builder and a one-line send.

``channel_for(name, config)`` builds the channel a config entry describes; ``Channel.send(alert, http)``
delivers or raises :class:`~worker.errors.DeliveryError`. A new platform is its module and one line of
``CHANNEL_TYPES``: everything else about it (payloads, notices, rate limits) is behind :class:`Channel`'s hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from worker.alerts.base import Channel, MovedError, RateLimit
from worker.alerts.console import Console
from worker.alerts.discord import Discord
from worker.alerts.googlechat import GoogleChat
from worker.alerts.mattermost import Mattermost
from worker.alerts.retry import MAX_ATTEMPTS, RETRY_SCHEDULE_S, next_attempt_delay_s
from worker.alerts.slack import Slack
from worker.alerts.teams import Teams
from worker.alerts.telegram import ChatMigratedError, Telegram
from worker.alerts.webhook import Webhook
from worker.config import models

CHANNEL_TYPES: dict[type[Any], Callable[[str, Any], Channel]] = {
    models.SlackChannel: Slack,
    models.DiscordChannel: Discord,
    models.TeamsChannel: Teams,
    models.GoogleChatChannel: GoogleChat,
    models.MattermostChannel: Mattermost,
    models.WebhookChannel: Webhook,
    models.TelegramChannel: Telegram,
    models.ConsoleChannel: Console,
}


def channel_for(name: str, config: models.ChannelConfig) -> Channel:
    """The channel for one entry of the config's ``channels``; no secret is unwrapped until it sends."""
    build = CHANNEL_TYPES.get(type(config))
    if build is None:
        raise TypeError(f"no channel for config type {type(config).__name__}")
    return build(name, config)


__all__ = [
    "CHANNEL_TYPES",
    "MAX_ATTEMPTS",
    "RETRY_SCHEDULE_S",
    "Channel",
    "ChatMigratedError",
    "MovedError",
    "RateLimit",
    "channel_for",
    "next_attempt_delay_s",
]
