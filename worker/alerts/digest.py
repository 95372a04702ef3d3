"""What a digest says, before any platform's markup: its alerts grouped by entity, then by story.

A digest is an outbox record whose alert is ``{"type": "digest", "id", "watchlist", "channel", "reason", "window",
"alerts": [<Alert.to_dict()>...]}``. Alerts of one story (the same ``story`` id when the pipeline gave one, else
the same article) make one line: the first one's headline, linked, and the other outlets as "also in". A story
is listed under the entity its first alert matched first, so it is listed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from worker.alerts.model import Alert
from worker.alerts.text import clean_line, graphemes, head
from worker.alerts.view import AlertView, also_in_text, match_label

DIGEST_TYPE = "digest"
REASON_HEADINGS = {
    "quiet_hours": "शांत घंटों की ख़बरें",
    "burst": "ख़बरों की झड़ी",
    "schedule": "ख़बरों का सारांश",
}
STORIES_WORD = "ख़बरें"
SHORTEST_TITLE_GRAPHEMES = 8  # a title is never cut shorter than this to make a line fit


def is_digest(data: dict[str, Any]) -> bool:
    return data.get("type") == DIGEST_TYPE


@dataclass(frozen=True)
class Digest:
    id: str
    watchlist: str
    channel: str
    reason: str  # quiet_hours | burst | schedule
    window: str
    alerts: tuple[dict[str, Any], ...]  # as recorded: Alert.to_dict(), plus whatever the pipeline added

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        def text(name: str) -> str:
            return str(data.get(name) or "")

        alerts = tuple(data.get("alerts") or ())
        return cls(text("id"), text("watchlist"), text("channel"), text("reason"), text("window"), alerts)

    def to_dict(self) -> dict[str, Any]:
        return {"type": DIGEST_TYPE, **{k: v for k, v in vars(self).items() if k != "alerts"}, "alerts": self.alerts}


@dataclass(frozen=True)
class StoryLine:
    title: str
    url: str
    outlet: str
    when: str
    also_in: tuple[str, ...]  # the other outlets that carried the story
    alerts: int  # how many of the digest's alerts this line stands for

    @property
    def also_in_text(self) -> str:
        return also_in_text(self.also_in)

    @property
    def byline(self) -> str:
        return " · ".join(part for part in (self.outlet, self.when, self.also_in_text) if part)

    def shortened(self) -> StoryLine:
        """The same line, shorter (the title halved, grapheme-safe, keeping its link); raises when it cannot be."""
        clusters = len(graphemes(self.title))
        if clusters <= SHORTEST_TITLE_GRAPHEMES and len(self.also_in) <= 1:
            raise ValueError("a digest line cannot be made any shorter")
        title = head(self.title, max(clusters // 2, SHORTEST_TITLE_GRAPHEMES))
        return replace(self, title=title, also_in=self.also_in[:1])


Entry = tuple[str, StoryLine]  # (the entity heading it is listed under, the story)


@dataclass(frozen=True)
class DigestView:
    id: str
    watchlist: str
    reason: str
    heading: str
    entries: tuple[Entry, ...]

    @classmethod
    def of(cls, digest: Digest) -> DigestView:
        entries = _entries(digest.alerts)
        title = REASON_HEADINGS.get(digest.reason, REASON_HEADINGS["schedule"])
        heading = f"{title} · {digest.watchlist} · {len(entries)} {STORIES_WORD}"
        return cls(digest.id, digest.watchlist, digest.reason, heading, tuple(entries))

    @property
    def footer(self) -> str:
        return f"{self.watchlist} · khabardar"


def part_label(part: tuple[int, int] | None) -> str:
    return f" ({part[0]}/{part[1]})" if part and part[1] > 1 else ""


def sections(entries: Sequence[Entry]) -> list[tuple[str, list[StoryLine]]]:
    """Consecutive entries under the same heading, together."""
    grouped: list[tuple[str, list[StoryLine]]] = []
    for heading, story in entries:
        if grouped and grouped[-1][0] == heading:
            grouped[-1][1].append(story)
        else:
            grouped.append((heading, [story]))
    return grouped


def _entries(alerts: Sequence[dict[str, Any]]) -> list[Entry]:
    stories: dict[str, list[dict[str, Any]]] = {}
    for data in alerts:
        stories.setdefault(_story_key(data), []).append(data)
    lines = [(_entity_heading(members[0]), _line(members)) for members in stories.values()]
    order = list(dict.fromkeys(heading for heading, _line in lines))  # entities in order of first appearance
    return sorted(lines, key=lambda entry: order.index(entry[0]))


def _story_key(data: dict[str, Any]) -> str:
    story = data.get("story")
    return f"story:{story}" if story else f"url:{data.get('article', {}).get('url') or data.get('id')}"


def _entity_heading(data: dict[str, Any]) -> str:
    alert = Alert.from_dict(data)
    return f"{match_label(alert.matches[0])} · {alert.matches[0].entity}" if alert.matches else "—"


def _line(members: list[dict[str, Any]]) -> StoryLine:
    first = AlertView.of(Alert.from_dict(members[0]))
    others = [AlertView.of(Alert.from_dict(data)).outlet for data in members[1:]]
    others += [clean_line(str(item.get("outlet") or "")) for data in members for item in data.get("also_in") or ()]
    also_in = tuple(outlet for outlet in dict.fromkeys(others) if outlet and outlet != first.outlet)
    return StoryLine(first.title, first.url, first.outlet, first.when, also_in, len(members))
