"""Sending a digest: one part per delivery attempt, each part remembered once the platform took it.

A digest of several parts is delivered like an alert whose sends come back one at a time: after each part the
record is given back (not an attempt), due again as the channel's rate limit allows. A crash or an error after
part 2 of 3 sends part 3 next, never parts 1 and 2 again.
"""

from __future__ import annotations

from typing import Any

from worker.alerts.base import Channel, JsonPoster
from worker.alerts.digest import Digest, is_digest
from worker.alerts.model import Alert
from worker.store import Store

Message = Alert | Digest


def outbox_message(data: dict[str, Any]) -> Message:
    return Digest.from_dict(data) if is_digest(data) else Alert.from_dict(data)


def send_message(store: Store, channel: Channel, message: Message, http: JsonPoster) -> bool:
    """Send the alert, or the digest's next part; True when nothing of it is left to send."""
    if isinstance(message, Alert):
        channel.send(message, http)
        return True
    sent = store.digest_parts_sent(message.id)
    number = next(number for number in range(len(sent) + 1) if number not in sent)
    parts = channel.send_digest_part(message, number, http)
    store.mark_digest_part_sent(message.id, number)
    return len(sent) + 1 >= parts
