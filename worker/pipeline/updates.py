"""Later copies of a story, shown on the alert already sent: recorded always, posted where the platform can edit.

A later copy of a story is remembered with the alert (``StoryIndex.add_update``). What happens next depends on the
alert's record in the outbox:

- not sent yet (pending, held for quiet hours, a burst or a digest): nothing more. The alert, or its digest, is
  rendered when it goes, with every copy known by then;
- sent, to a channel whose platform edits messages (Discord, Telegram) or takes an ``alert.updated`` (the generic
  webhook): its update record is made pending, due UPDATE_COALESCE_S later, so a burst of copies (agencies' copy
  reaches five papers within minutes) makes one edit listing all of them. Sending reads the copies then;
- sent, elsewhere (Slack, Teams, Google Chat, Mattermost, the console): recorded only, never posted again.

The race between a copy and a send is closed from both sides: the copy is recorded before the alert's state is
read, and a send reads the copies again after it is recorded as sent. Whichever comes second sees the other, so a
copy is never left unshown; both may ask for the update, which then goes once (``outbox_rearm`` is idempotent).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from worker.alerts.digest import Digest
from worker.alerts.model import Alert, Copy
from worker.alerts.update import Edit, Update, update_id
from worker.errors import StoreError
from worker.pipeline.engine import Engine
from worker.store import OutboxRecord

log = logging.getLogger(__name__)

Message = Alert | Digest | Edit

# Copies arriving within this long of the first make one edit. Well inside every platform's limit (Discord 5 per
# 2 s per webhook, Telegram 1 per s per chat); the channel's own rate limits still pace the sends (deliver.py).
UPDATE_COALESCE_S = 5.0


def copies_of(engine: Engine, alert_id: str, now_s: float) -> tuple[Copy, ...]:
    """The later copies remembered for the alert; none when the story index does not answer (logged)."""
    try:
        return tuple(Copy.from_dict(item) for item in engine.stories().updates(alert_id, now_s))
    except StoreError as exc:
        log.warning("alert %s: its story's later copies could not be read: %s", alert_id, exc)
        return ()


def request_update(engine: Engine, alert_id: str, now_s: float) -> str | None:
    """After a later copy was recorded: the id of the update made pending for the alert's message, or None when
    there is nothing to post (not sent yet, a platform that cannot edit, or an update already waiting)."""
    record = engine.store.outbox_get(alert_id)
    if record is None or record.state != "sent" or not _editable(engine, record):
        return None
    update = Update.of(record.alert)
    if not engine.store.outbox_rearm(update.id, update.to_dict(), now_s, now_s + UPDATE_COALESCE_S):
        return None
    log.info("alert %s: an update with its story's later copies goes out as %s", alert_id, update.id)
    return update.id


def _editable(engine: Engine, record: OutboxRecord) -> bool:
    channel = engine.channel(str(record.alert.get("channel")))
    if channel is None or "article" not in record.alert or record.alert.get("type"):
        return False  # a channel gone from the config, a digest or an update: no message of one alert to edit
    return channel.update_request(Alert.from_dict(record.alert), record.receipt, 1) is not None


def shown_with_copies(engine: Engine, message: Message, now_s: float) -> Message:
    """An alert or digest as it goes now: with the later copies of its stories known at this moment."""
    if isinstance(message, Alert) and message.story:
        return replace(message, also_in=copies_of(engine, message.id, now_s))
    if isinstance(message, Digest):
        return _digest_with_copies(engine, message, now_s)
    return message


def _digest_with_copies(engine: Engine, digest: Digest, now_s: float) -> Digest:
    """The digest with its stories' later copies when it goes out in one message; a digest of several parts is
    sent as it was made, so a part sent after a copy came in never moves a story from one part to another."""
    channel = engine.channel(digest.channel)
    if channel is None or engine.store.digest_parts_sent(digest.id):
        return digest
    shown = replace(digest, alerts=tuple(_with_copies(engine, data, now_s) for data in digest.alerts))
    return shown if shown != digest and len(channel.digest_payloads(shown)) == 1 else digest


def _with_copies(engine: Engine, data: dict[str, Any], now_s: float) -> dict[str, Any]:
    if not data.get("story"):
        return data
    copies = copies_of(engine, str(data.get("id")), now_s)
    return {**data, "also_in": [copy.to_dict() for copy in copies]} if copies else data


def ready_update(engine: Engine, update: Update, record: OutboxRecord, now_s: float) -> Edit | None:
    """The edit to send now, or None when there is nothing new to show: the alert's record is gone, or every copy
    known was in the last version sent (the receipt)."""
    alert_record = engine.store.outbox_get(update.alert_id)
    if alert_record is None or alert_record.state != "sent":
        return None
    alert = replace(Alert.from_dict(alert_record.alert), also_in=copies_of(engine, update.alert_id, now_s))
    edit = Edit(update.id, alert, alert_record.receipt)
    return edit if edit.version > _version_sent(record) else None


def _version_sent(record: OutboxRecord) -> int:
    return int(record.receipt) if record.receipt.isdigit() else 0


def after_sent(engine: Engine, message: Message, now_s: float) -> str | None:
    """Once an alert or an edit is recorded as sent: the update to send next, when copies came in meanwhile."""
    if isinstance(message, Edit):
        alert_id, shown = message.alert.id, message.version
    elif isinstance(message, Alert) and message.story:
        alert_id, shown = message.id, len(message.also_in)
    else:
        return None
    if len(copies_of(engine, alert_id, now_s)) <= shown:
        return None
    return request_update(engine, alert_id, now_s)


__all__ = ["UPDATE_COALESCE_S", "after_sent", "copies_of", "ready_update", "request_update", "update_id"]
