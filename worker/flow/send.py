"""Sending a digest: one part per delivery attempt, each part remembered once the platform took it.

A digest of several parts is delivered like an alert whose sends come back one at a time: after each part the
record is given back (not an attempt), due again as the channel's rate limit allows. A crash or an error after
part 2 of 3 sends part 3 next, never parts 1 and 2 again.
"""

from __future__ import annotations

from typing import Any

from worker.alerts.base import Channel, JsonSender
from worker.alerts.digest import Digest, is_digest
from worker.alerts.model import Alert
from worker.alerts.update import Edit, Update, is_update
from worker.store import Store

Message = Alert | Digest | Edit  # what is sent
Recorded = Alert | Digest | Update  # what the outbox holds (an Update is made an Edit when its turn comes)


def outbox_message(data: dict[str, Any]) -> Recorded:
    if is_digest(data):
        return Digest.from_dict(data)
    return Update.from_dict(data) if is_update(data) else Alert.from_dict(data)


def send_message(store: Store, channel: Channel, message: Message, http: JsonSender) -> tuple[bool, str | None]:
    """Send the alert, the edit, or the digest's next part: whether nothing of it is left to send, and the receipt
    to keep with its record (an alert's message id, an edit's version; None for a digest)."""
    if isinstance(message, Alert):
        return True, channel.send(message, http)
    if isinstance(message, Edit):
        channel.send_update(message.alert, message.receipt, message.version, http)
        return True, str(message.version)
    sent = store.digest_parts_sent(message.id)
    number = next(number for number in range(len(sent) + 1) if number not in sent)
    parts = channel.send_digest_part(message, number, http)
    store.mark_digest_part_sent(message.id, number)
    return len(sent) + 1 >= parts, None
