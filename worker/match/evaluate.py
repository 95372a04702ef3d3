"""Turn one entity's raw automaton hits into counted mentions (PRODUCT.md "Matching semantics" rules 4 and 5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from worker.match.compile import CompiledEntity, Role
from worker.query import And, Near, Node, Not, Term


class Hit(NamedTuple):
    """One occurrence of one term: words ``first..last`` (inclusive) of field ``field`` (0 title, 1 text)."""

    field: int
    first: int
    last: int
    term: int


def counted_mentions(entity: CompiledEntity, raw: Iterable[tuple[Role, Hit]]) -> list[Hit]:
    """The mentions that count, in reading order; empty when the entity does not match."""
    excludes: list[Hit] = []
    by_role: dict[Role, list[Hit]] = {"name": [], "short": [], "term": []}
    for role, hit in raw:
        (excludes if role == "exclude" else by_role[role]).append(hit)
    kept = {role: [hit for hit in hits if not _inside_any(hit, excludes)] for role, hits in by_role.items()}
    mentions = kept["name"]
    if entity.query is not None:
        supporting = evaluate(entity.query, _by_term(kept["term"]), entity.query_terms)
        mentions = mentions + (supporting or [])
    if not mentions:
        return []
    return leftmost_longest(mentions + kept["short"])


def evaluate(node: Node, hits: dict[int, list[Hit]], numbers: dict[Term, int]) -> list[Hit] | None:
    """The hits that make ``node`` true, or None when it is false (a true NOT contributes no hits)."""
    if isinstance(node, Term):
        return hits.get(numbers[node]) or None
    if isinstance(node, Not):
        return [] if evaluate(node.item, hits, numbers) is None else None
    if isinstance(node, Near):
        return _near(node, hits, numbers)
    results = [evaluate(item, hits, numbers) for item in node.items]
    if isinstance(node, And) and any(result is None for result in results):
        return None
    true = [result for result in results if result is not None]
    return [hit for result in true for hit in result] if true else None


def leftmost_longest(hits: list[Hit]) -> list[Hit]:
    """One mention per place: where hits overlap, the one that starts first and is longest wins."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda hit: (hit.field, hit.first, hit.first - hit.last)):
        if kept and kept[-1].field == hit.field and hit.first <= kept[-1].last:
            continue
        kept.append(hit)
    return kept


def _near(node: Near, hits: dict[int, list[Hit]], numbers: dict[Term, int]) -> list[Hit] | None:
    left, right = evaluate(node.left, hits, numbers), evaluate(node.right, hits, numbers)
    if not left or not right:
        return None
    close: dict[Hit, None] = {}
    for a in left:
        for b in right:
            if a != b and a.field == b.field and _distance(a, b) <= node.distance:
                close[a] = close[b] = None
    return list(close) or None


def _distance(a: Hit, b: Hit) -> int:
    """Words from the end of one mention to the start of the other: 1 for neighbours, 0 when they overlap."""
    return max(0, b.first - a.last, a.first - b.last)


def _inside_any(hit: Hit, excludes: list[Hit]) -> bool:
    return any(ex.field == hit.field and ex.first <= hit.first and hit.last <= ex.last for ex in excludes)


def _by_term(hits: list[Hit]) -> dict[int, list[Hit]]:
    grouped: dict[int, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.term, []).append(hit)
    return grouped
