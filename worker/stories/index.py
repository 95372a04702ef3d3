"""The story index: recent articles' entries found by key (LSH band keys, the body hash, the headline hash).

Three implementations behave alike: :class:`MemoryIndex` (``khabardar cluster``, tests), ``SqliteStoryIndex``
(the embedded default) and ``RedisStoryIndex`` (shared by every worker). Each is bounded by the window: an entry
older than ``window_s`` is never returned, and storage is freed in slots of ``window_s / SLOTS_PER_WINDOW`` (keys in
generations of ``window_s / GENERATIONS_PER_WINDOW``).

Concurrency is optimistic: :meth:`StoryIndex.lookup` returns the highest entry number (``seq``) it saw, and
:meth:`StoryIndex.add` with ``seen_seq`` refuses (returns None) when an entry numbered after it shares one of the
keys, as one atomic step. A worker that starts a new story and is refused looks again and finds the copy that
another worker added meanwhile; so two copies assigned at the same moment end in one story.
"""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from worker.stories.entry import BadEntry, Entry

log = logging.getLogger(__name__)

DEFAULT_WINDOW_S = 72 * 3600
SLOTS_PER_WINDOW = 12
# The stores' key tables are partitioned coarser than their entries: a look-up reads each of its keys in every live
# partition, so 5 generations cost 2.6 times fewer reads than 13 slots; a key then outlives its entry by up to a
# generation (a quarter window), half of one on average: an eighth more key rows than the window holds.
GENERATIONS_PER_WINDOW = 4
UPDATES_MAX = 100  # later copies remembered per alert ("also in: …, (+N)" needs the first few and a count)


@dataclass(frozen=True)
class Lookup:
    entries: list[Entry]  # readable entries of stories begun within the window that share a key, each once
    seq: int  # the highest entry number the index had given when it looked
    added: int | None = None  # the number of ``new``, when nothing shared a key and it was added


class StoryIndex(Protocol):
    window_s: float

    def lookup(self, keys: Sequence[int], now: float, new: Entry | None = None) -> Lookup:
        """The entries under ``keys``; with ``new``, when no entry at all shares a key (the article can only start
        a story), also add ``new`` under ``keys`` in the same atomic step (Redis: one round trip, not two)."""
        ...

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        """Store ``entry`` under ``keys`` and return its number; with ``seen_seq``, refuse (None, nothing stored)
        when an entry numbered after ``seen_seq`` shares one of ``keys``."""
        ...

    def add_update(self, alert_id: str, update: dict[str, Any], now: float) -> None:
        """Remember a later article of the story of ``alert_id`` (``{"url","outlet","title","published"}``),
        once per URL, at most ``UPDATES_MAX``, for the window."""
        ...

    def updates(self, alert_id: str, now: float) -> list[dict[str, Any]]:
        """The later articles remembered for ``alert_id``, in arrival order."""
        ...


def slot_of(at: float, window_s: float) -> int:
    return math.floor(at / slot_seconds(window_s))


def slot_seconds(window_s: float) -> float:
    return max(window_s / SLOTS_PER_WINDOW, 1.0)


def live_slots(now: float, window_s: float) -> range:
    """The slots that may hold an entry younger than the window."""
    return range(slot_of(now - window_s, window_s), slot_of(now, window_s) + 1)


def generation_seconds(window_s: float) -> float:
    return max(window_s / GENERATIONS_PER_WINDOW, 1.0)


def live_generations(now: float, window_s: float) -> range:
    """The generations that may hold keys of an entry younger than the window."""
    length = generation_seconds(window_s)
    return range(math.floor((now - window_s) / length), math.floor(now / length) + 1)


def readable(records: Iterable[tuple[int, bytes]], now: float, window_s: float) -> list[Entry]:
    """Decode records, skipping (and logging) the unreadable and those older than the window."""
    entries = []
    for number, record in records:
        try:
            entry = Entry.unpack(record)
        except BadEntry as exc:
            log.warning("stories: entry %s skipped, its article is taken as a new story: %s", number, exc)
            continue
        if entry.story_at >= now - window_s:  # a story older than the window takes no more articles
            entries.append(entry)
    return entries


def update_json(update: dict[str, Any]) -> str:
    return json.dumps(update, ensure_ascii=False, sort_keys=True)


class MemoryIndex:
    """The index in this process's memory: for ``khabardar cluster`` and tests."""

    def __init__(self, window_s: float = DEFAULT_WINDOW_S) -> None:
        self.window_s = window_s
        self._updates: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
        self.records: dict[int, bytes] = {}
        self._by_key: dict[int, list[int]] = defaultdict(list)
        self._order: deque[tuple[float, int, tuple[int, ...]]] = deque()
        self._seq = 0

    def lookup(self, keys: Sequence[int], now: float, new: Entry | None = None) -> Lookup:
        self._evict(now)
        numbers = sorted({number for key in keys for number in self._by_key.get(key, ())})
        if new is not None and not numbers:
            return Lookup([], self._seq, self.add(new, keys, None))
        return Lookup(readable(((n, self.records[n]) for n in numbers), now, self.window_s), self._seq)

    def add(self, entry: Entry, keys: Sequence[int], seen_seq: int | None) -> int | None:
        if seen_seq is not None and any(n > seen_seq for key in keys for n in self._by_key.get(key, ())):
            return None
        self._seq += 1
        self.records[self._seq] = entry.pack()
        for key in set(keys):
            self._by_key[key].append(self._seq)
        self._order.append((entry.at, self._seq, tuple(set(keys))))
        return self._seq

    def add_update(self, alert_id: str, update: dict[str, Any], now: float) -> None:
        known = self._updates[alert_id]
        if len(known) < UPDATES_MAX:
            known.setdefault(str(update.get("url")), (now, update_json(update)))

    def updates(self, alert_id: str, now: float) -> list[dict[str, Any]]:
        known = sorted(self._updates.get(alert_id, {}).values())
        return [json.loads(text) for at, text in known if at >= now - self.window_s]

    def assignments(self) -> dict[str, str]:
        """Each article in the window and its story (the id of the story's first article), in arrival order: what
        a dry run shows."""
        entries = (Entry.unpack(record) for _, record in sorted(self.records.items()))
        return {entry.article_id: entry.story for entry in entries}

    def _evict(self, now: float) -> None:
        while self._order and self._order[0][0] < now - self.window_s:
            _, number, keys = self._order.popleft()
            self.records.pop(number, None)
            for key in keys:
                numbers = self._by_key[key]
                numbers.remove(number)
                if not numbers:
                    del self._by_key[key]
