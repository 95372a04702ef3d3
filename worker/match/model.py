"""What a match reports: spans into the original title or text, grouped per entity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Span:
    """Code-point offsets into the ORIGINAL (un-normalized) title or text: ``text == original[start:end]``."""

    field: str  # "title" | "text"
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class EntityMatch:
    """The counted mentions of one entity of one watch-list in one article."""

    watchlist: str
    entity: str
    kind: str  # leader | topic
    count: int
    names: tuple[str, ...]  # configured names or query terms that matched, first-seen order
    spans: tuple[Span, ...]  # title spans first, then text, each by start

    def to_json(self) -> dict[str, Any]:
        return {
            "watchlist": self.watchlist,
            "entity": self.entity,
            "kind": self.kind,
            "count": self.count,
            "spans": [span.to_json() for span in self.spans],
        }
