"""Prominence: whether an entity is named where a desk cares (the title, the lede) or often enough.

A leader named once in paragraph twelve should not page a desk like a story about him. With
``prominence: {in: [title, lede], min_mentions: N}`` (per watch-list, or per entity, which wins) an entity
counts only when one of the rules holds; each match then says where it was found: ``title``, ``lede`` or ``×N``.
"""

from __future__ import annotations

from dataclasses import dataclass

from worker.config.models import ProminenceConfig, WatchlistConfig
from worker.match.model import EntityMatch

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Prominence:
    in_title: bool
    in_lede: bool
    count: int

    def where(self) -> str:
        """The most prominent place: title, else lede, else the number of mentions."""
        if self.in_title:
            return "title"
        return "lede" if self.in_lede else f"×{self.count}"

    def meets(self, rule: ProminenceConfig) -> bool:
        placed = ("title" in rule.in_ and self.in_title) or ("lede" in rule.in_ and self.in_lede)
        return placed or (rule.min_mentions is not None and self.count >= rule.min_mentions)


def lede_end(text: str) -> int:
    """Where the first paragraph of ``text`` ends (its first non-empty one)."""
    start = len(text) - len(text.lstrip())
    end = text.find(PARAGRAPH_BREAK, start)
    return len(text) if end < 0 else end


def prominence(match: EntityMatch, lede_chars: int) -> Prominence:
    """Where ``match`` was found; ``lede_chars`` is :func:`lede_end` of the article text."""
    return Prominence(
        in_title=any(span.field == "title" for span in match.spans),
        in_lede=any(span.field == "text" and span.start < lede_chars for span in match.spans),
        count=match.count,
    )


def prominent(config: WatchlistConfig, found: list[EntityMatch], text: str) -> list[tuple[EntityMatch, str]]:
    """The matches of this watch-list that meet their prominence rule (the entity's, else the watch-list's), each
    with where it was found ("" without a rule): what the pipeline alerts on, and what a backtest counts."""
    rules = {entity.id: entity.prominence or config.prominence for entity in config.entities}
    lede = lede_end(text)
    kept = []
    for match in found:
        rule = rules.get(match.entity)
        if rule is None:
            kept.append((match, ""))
        elif (where := prominence(match, lede)).meets(rule):
            kept.append((match, where.where()))
    return kept
