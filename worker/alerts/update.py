"""What an update is: a sent alert's message to show again with its story's later copies ("also in").

An update is an outbox record of its own (``{"type": "update", "id", "alert_id", "watchlist", "channel",
"article"}``; the article is the alert's, so lists of the outbox read it like an alert). What it shows is read
when it is sent, not when it is recorded: the copies known by then, so a burst of copies makes one edit. Its
version is the number of copies it lists; the record's receipt keeps the last version sent, so one version is
never sent twice (a retry after a crash between sending and recording excepted, which repeats its webhook-id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from worker.alerts.model import Alert

UPDATE_TYPE = "update"
UPDATE_ID_SUFFIX = ".update"


def is_update(data: dict[str, Any]) -> bool:
    return data.get("type") == UPDATE_TYPE


def update_id(alert_id: str) -> str:
    """The outbox id of every update of one alert: one record, made pending again for each new version."""
    return alert_id + UPDATE_ID_SUFFIX


@dataclass(frozen=True)
class Update:
    """The outbox record's message: which sent alert to show again."""

    id: str
    alert_id: str
    watchlist: str
    channel: str
    article: dict[str, Any]  # the alert's, as recorded

    @classmethod
    def of(cls, alert: dict[str, Any]) -> Update:
        """The update of an alert recorded in the outbox (its ``Alert.to_dict()``)."""
        return cls(update_id(alert["id"]), alert["id"], alert["watchlist"], alert["channel"], alert["article"])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Update:
        return cls(data["id"], data["alert_id"], data["watchlist"], data["channel"], dict(data.get("article") or {}))

    def to_dict(self) -> dict[str, Any]:
        return {"type": UPDATE_TYPE, **vars(self)}


@dataclass(frozen=True)
class Edit:
    """An update made ready to send: the alert re-rendered with its copies, and the message it edits."""

    id: str  # the update's outbox id
    alert: Alert  # with ``also_in``: every copy known when it was made ready
    receipt: str  # the platform's id of the alert's message ("" where it gave none)

    @property
    def version(self) -> int:
        return len(self.alert.also_in)

    @property
    def channel(self) -> str:
        return self.alert.channel

    @property
    def watchlist(self) -> str:
        return self.alert.watchlist
