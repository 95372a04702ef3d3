"""The compiled matcher: one automaton for all watch-lists, run over the title and the text of an article."""

from __future__ import annotations

from collections.abc import Sequence

from worker.config.models import WatchlistConfig
from worker.match.compile import DEFAULT_RULES, Compiled, MatchRules, Role, compile_watchlists
from worker.match.evaluate import Hit, counted_mentions
from worker.match.fields import Field, read_field
from worker.match.model import EntityMatch, Span

FIELDS = ("title", "text")


class Matcher:
    """Compiled once per config version; ``match`` is pure and safe to call from many threads at once."""

    def __init__(self, compiled: Compiled) -> None:
        self._compiled = compiled

    @classmethod
    def from_watchlists(cls, watchlists: Sequence[WatchlistConfig], *, rules: MatchRules = DEFAULT_RULES) -> Matcher:
        return cls(compile_watchlists(watchlists, rules))

    def match(self, title: str, text: str) -> list[EntityMatch]:
        """Every entity of every watch-list with at least one counted mention, in config order."""
        if self._compiled.automaton is None:
            return []
        fields = [self._read(name, value) for name, value in zip(FIELDS, (title, text), strict=True)]
        raw = self._scan(fields)
        found = []
        for index in sorted(raw):
            entity = self._compiled.entities[index]
            mentions = counted_mentions(entity, raw[index])
            if mentions:
                names = tuple(dict.fromkeys(entity.labels[hit.term] for hit in mentions))
                spans = tuple(_span(fields[hit.field], hit) for hit in mentions)
                found.append(EntityMatch(entity.watchlist, entity.entity, entity.kind, len(mentions), names, spans))
        return found

    def _read(self, name: str, value: str) -> Field:
        compiled = self._compiled
        return read_field(name, value, stems=compiled.stems, fuzzy=compiled.fuzzy, acronyms=compiled.acronyms)

    def _scan(self, fields: list[Field]) -> dict[int, list[tuple[Role, Hit]]]:
        raw: dict[int, list[tuple[Role, Hit]]] = {}
        automaton = self._compiled.automaton
        for number, field in enumerate(fields):
            for view in field.views:
                for end, (length, closed, owners) in automaton.iter(view.text):
                    first = view.word_at(end - length + 2)
                    last = view.word_at(end - 1 if closed else end)
                    for owner in owners:
                        raw.setdefault(owner.entity, []).append((owner.role, Hit(number, first, last, owner.term)))
        return raw


def _span(field: Field, hit: Hit) -> Span:
    start, end = field.original_span(hit.first, hit.last)
    return Span(field.name, start, end, field.original[start:end])
