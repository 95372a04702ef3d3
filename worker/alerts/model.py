"""What an alert is: one article, one watch-list, one channel, and the entities that matched."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def alert_id(article_key: str, watchlist: str, channel: str) -> str:
    """The stable id of an alert: the same article, watch-list and channel always give the same id."""
    digest = hashlib.sha256(f"{article_key}\x1f{watchlist}\x1f{channel}".encode()).hexdigest()
    return digest[:32]


@dataclass(frozen=True)
class ArticleSummary:
    url: str
    title: str
    source: str  # the feed's name, as in the generic webhook payload
    outlet: str  # the publisher as readers know it ("दैनिक जागरण", "BBC Hindi"), or the site's host
    published: datetime | None
    snippet: str  # a few sentences around the first match, as published


@dataclass(frozen=True)
class AlertMatch:
    entity: str
    kind: str  # leader | topic
    count: int
    names: tuple[str, ...]  # the configured names that matched, first-seen order
    where: str = ""  # with a prominence rule: title, lede or ×N; else empty


@dataclass(frozen=True)
class Copy:
    """A later article of the alert's story (worker/stories), as the generic webhook's ``also_in`` lists it."""

    url: str
    outlet: str
    title: str
    published: str | None  # ISO-8601, as recorded

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Copy:
        published = data.get("published")
        return cls(str(data.get("url") or ""), str(data.get("outlet") or ""), str(data.get("title") or ""), published)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Alert:
    id: str
    watchlist: str
    channel: str
    article: ArticleSummary
    matches: tuple[AlertMatch, ...]
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    story: str = ""  # the key of the story's first article (worker/stories); empty for alerts made before stories
    # the later copies of the story known when the message is rendered: filled at send time, never recorded
    also_in: tuple[Copy, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["article"]["published"] = _iso(self.article.published)
        if not self.also_in:  # the outbox's records stay as they were before copies were shown
            del data["also_in"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        article = dict(data["article"])
        article["published"] = _parse_iso(article.get("published"))
        return cls(
            id=data["id"],
            watchlist=data["watchlist"],
            channel=data["channel"],
            article=ArticleSummary(**article),
            matches=tuple(
                AlertMatch(m["entity"], m["kind"], int(m["count"]), tuple(m["names"]), m.get("where", ""))
                for m in data["matches"]
            ),
            created_at=_parse_iso(data["created_at"]) or datetime.now(UTC),
            story=data.get("story", ""),
            also_in=tuple(Copy.from_dict(item) for item in data.get("also_in") or ()),
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
