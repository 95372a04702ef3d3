"""Give an article its story: the story of an earlier article it copies or closely rewrites, else a new one.

Precision comes first (a false merge hides news; a missed merge costs one extra alert), so each way of joining a
story has its own bar:

- ``exact``: the same story text after normalization and boilerplate removal, with at least ``MIN_WORDS`` words;
- ``near``: MinHash estimates over word shingles of at least ``MIN_SHINGLES``: Jaccard ≥ ``NEAR_JACCARD``, or
  containment ≥ ``NEAR_CONTAINMENT`` with Jaccard ≥ ``NEAR_JACCARD_FLOOR`` (a trimmed or extended copy);
  either side known only by its feed summary (``summary``) needs Jaccard ≥ ``SUMMARY_JACCARD``, or the same
  normalized headline and containment ≥ ``SUMMARY_CONTAINMENT``, or containment ≥ ``SUMMARY_CONTAINED`` with
  Jaccard ≥ ``SUMMARY_JACCARD_FLOOR``;
- ``title``: the same normalized headline of at least four words, only when one side has too little text to
  compare (a headline alone is shared by unrelated updates too often to override two bodies that differ).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from worker.stories.entry import Entry, stored_id
from worker.stories.index import StoryIndex
from worker.stories.sketch import band_keys, containment, jaccard, signature
from worker.stories.text import Fingerprint, fingerprint

log = logging.getLogger(__name__)

MIN_WORDS = 25  # less story text than this never joins a story by its text ("one-line bodies")
MIN_SHINGLES = 20
NEAR_JACCARD = 0.5
NEAR_CONTAINMENT = 0.75
NEAR_JACCARD_FLOOR = 0.25
SUMMARY_JACCARD = 0.6
SUMMARY_CONTAINMENT = 0.4  # estimated from few shared minima when a summary meets its article: noisy, so low
# under another headline, nearly all of the summary must be in the article (a summary is a small part of it, so
# the Jaccard floor is lower than a near copy's)
SUMMARY_CONTAINED = 0.75
SUMMARY_JACCARD_FLOOR = 0.15
ADD_ATTEMPTS = 3


@dataclass(frozen=True)
class StoryInput:
    id: str
    title: str
    text: str
    outlet: str = ""
    published: datetime | None = None
    summary_only: bool = False  # ``text`` is the feed's summary, not the article body


@dataclass(frozen=True)
class StoryAssignment:
    story_id: str  # the id of the story's first article
    is_first: bool
    similarity: float  # to the article it was joined to (1.0 for its own new story)
    reason: str  # new | exact | near | summary | title


@dataclass(frozen=True)
class _Sketch:
    fingerprint: Fingerprint
    signature: bytes
    keys: list[int]


def assign_story(index: StoryIndex, article: StoryInput, now: float) -> StoryAssignment:
    """The story of ``article``, recorded in ``index`` (``now`` is epoch seconds, the arrival time)."""
    sketch = _sketch(article)
    first = _entry(article, sketch, article.id, now, now)
    new = StoryAssignment(stored_id(article.id), True, 1.0, "new")
    for _ in range(ADD_ATTEMPTS):
        found = index.lookup(sketch.keys, now, first)
        if found.added is not None:
            return new
        joined = best_match(sketch, article.summary_only, found.entries)
        if joined is not None:
            assignment, story_at = joined
            index.add(_entry(article, sketch, assignment.story_id, now, story_at), sketch.keys, None)
            return assignment
        if index.add(first, sketch.keys, found.seq) is not None:
            return new
    log.warning("stories: %s kept meeting concurrent additions; it starts a story of its own", article.id)
    index.add(first, sketch.keys, None)
    return new


def best_match(sketch: _Sketch, summary_only: bool, entries: list[Entry]) -> tuple[StoryAssignment, float] | None:
    """The most similar entry that clears its bar, as an assignment to its story, with the story's start time
    (ties: the earliest entry)."""
    best: tuple[StoryAssignment, float] | None = None
    for entry in entries:
        verdict = _verdict(sketch, summary_only, entry)
        if verdict is not None and (best is None or verdict[0] > best[0].similarity):
            best = StoryAssignment(entry.story, False, verdict[0], verdict[1]), entry.story_at
    return best


def _verdict(sketch: _Sketch, summary_only: bool, entry: Entry) -> tuple[float, str] | None:
    mine = sketch.fingerprint
    if mine.words >= MIN_WORDS and mine.body_hash == entry.body_hash:
        return 1.0, "exact"
    same_title = mine.title_hash != 0 and mine.title_hash == entry.title_hash
    if sketch.signature and entry.signature:
        similarity = jaccard(sketch.signature, entry.signature)
        if summary_only or entry.summary_only:
            if _summary_near(similarity, len(mine.shingles), entry.shingles, same_title):
                return similarity, "summary"
        elif _near(similarity, len(mine.shingles), entry.shingles):
            return similarity, "near"
    if same_title and (not sketch.signature or not entry.signature):
        return 1.0, "title"
    return None


def _near(similarity: float, size: int, other_size: int) -> bool:
    if similarity >= NEAR_JACCARD:
        return True
    return similarity >= NEAR_JACCARD_FLOOR and containment(similarity, size, other_size) >= NEAR_CONTAINMENT


def _summary_near(similarity: float, size: int, other_size: int, same_title: bool) -> bool:
    """A feed summary is a few sentences of the article: under the same headline, most of them must be in it;
    under another headline, the two texts must be near copies of each other."""
    if similarity >= SUMMARY_JACCARD:
        return True
    contained = containment(similarity, size, other_size)
    if same_title:
        return contained >= SUMMARY_CONTAINMENT
    return similarity >= SUMMARY_JACCARD_FLOOR and contained >= SUMMARY_CONTAINED


def _sketch(article: StoryInput) -> _Sketch:
    found = fingerprint(article.title, article.text)
    sig = signature(found.shingles) if len(found.shingles) >= MIN_SHINGLES else b""
    keys = band_keys(sig) if sig else []
    if found.words >= MIN_WORDS:
        keys.append(found.body_hash)
    if found.title_hash:
        keys.append(found.title_hash)
    if found.lede_hash:
        keys.append(found.lede_hash)  # finds a summary and its article, whose Jaccard is too low for the bands
    return _Sketch(found, sig, keys)


def _entry(article: StoryInput, sketch: _Sketch, story: str, now: float, story_at: float) -> Entry:
    found = sketch.fingerprint
    return Entry(
        article.id,
        story,
        now,
        story_at,
        found.body_hash,
        found.title_hash,
        len(found.shingles),
        sketch.signature,
        article.summary_only,
    )
