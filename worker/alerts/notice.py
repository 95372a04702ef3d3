"""Plain-text notices to a channel: one short message for people (feed health on the ``ops`` channel), no alert.

Each platform gets its simplest text message, escaped as its alerts are, so a feed name or URL in a notice can
neither ping anyone nor inject markup. Sending reuses the channel's own :meth:`Channel.deliver`, so a notice is
judged, redacted and refused (private addresses) exactly as an alert is; failures raise
:class:`~worker.errors.DeliveryError`.
"""

from __future__ import annotations

import hashlib
import sys
import time
from typing import Any

from worker.alerts.base import Channel, JsonPoster
from worker.alerts.console import Console
from worker.alerts.discord import Discord
from worker.alerts.googlechat import GoogleChat
from worker.alerts.markup import escape_html, escape_markdown, escape_plain, escape_slack
from worker.alerts.mattermost import Mattermost
from worker.alerts.slack import Slack
from worker.alerts.teams import ADAPTIVE_CARD_CONTENT_TYPE, ADAPTIVE_CARD_SCHEMA, ADAPTIVE_CARD_VERSION, Teams
from worker.alerts.telegram import Telegram
from worker.alerts.text import json_text
from worker.alerts.webhook import Webhook, secret_key, sign

NOTICE_MAX_CHARS = 1_000  # far under every platform's limit; a notice is a sentence or two
NOTICE_TYPE = "notice"  # the generic webhook's marker: a receiver tells notices from alerts by it


def notice_payload(channel: Channel, text: str) -> dict[str, Any]:
    """The JSON body that shows ``text`` as a plain message on ``channel``'s platform."""
    text = text[:NOTICE_MAX_CHARS]
    match channel:
        case Discord():
            return {"content": escape_markdown(text), "allowed_mentions": {"parse": []}}
        case Slack():
            return {"text": escape_slack(text), "unfurl_links": False, "unfurl_media": False}
        case Mattermost():
            return {"text": escape_markdown(text)}
        case GoogleChat():
            return {"text": escape_plain(text)}
        case Telegram():
            return {"chat_id": channel.config.chat_id, "text": escape_html(text), "parse_mode": "HTML"}
        case Teams():
            return _teams_message(text)
        case Webhook():
            return {"type": NOTICE_TYPE, "text": text}
    raise TypeError(f"no notice for channel type {type(channel).__name__}")


def send_notice(channel: Channel, text: str, http: JsonPoster) -> None:
    """Post ``text`` to ``channel``; raise :class:`~worker.errors.DeliveryError` when the platform refuses it."""
    if isinstance(channel, Console):
        print(escape_plain(text[:NOTICE_MAX_CHARS]), file=sys.stdout, flush=True)
        return
    payload = notice_payload(channel, text)
    channel.deliver(http, payload, _signature(channel, payload))


def _teams_message(text: str) -> dict[str, Any]:
    block = {"type": "TextBlock", "text": escape_plain(text), "wrap": True}
    card = {"$schema": ADAPTIVE_CARD_SCHEMA, "type": "AdaptiveCard", "version": ADAPTIVE_CARD_VERSION, "body": [block]}
    return {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "content": card}]}


def _signature(channel: Channel, payload: dict[str, Any]) -> dict[str, str]:
    """Standard Webhooks headers for a webhook with a secret, as its alerts carry; nothing for other platforms."""
    if not isinstance(channel, Webhook) or channel.config.secret is None:
        return {}
    timestamp_s = int(time.time())
    body = json_text(payload)
    message_id = "notice-" + hashlib.blake2b(f"{timestamp_s}.{body}".encode(), digest_size=12).hexdigest()
    key = secret_key(channel.config.secret.get_secret_value())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp_s),
        "webhook-signature": sign(key, message_id, timestamp_s, body),
    }
