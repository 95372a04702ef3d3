"""What the story index keeps of one article, and its compact binary form (about 300 bytes with short ids).

The record is versioned and checked on read: an entry that cannot be decoded raises :class:`BadEntry`, which
the indexes log and skip, so a damaged entry costs at most a missed fold, never a crash or a lost alert.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from worker.stories.sketch import SIGNATURE_BYTES

RECORD_VERSION = 2
ID_MAX_BYTES = 512  # ids are cut to this: a URL used as an id must not make an entry unbounded
_HEAD = struct.Struct("<BddqqHH")  # version, at, story_at, body hash, title hash, shingles, flags


class BadEntry(ValueError):
    """A stored story entry that cannot be read."""


@dataclass(frozen=True, slots=True)
class Entry:
    article_id: str
    story: str  # the article id of the story's first article
    at: float  # epoch seconds when it was assigned
    story_at: float  # when the story's first article was: the window counts from there
    body_hash: int
    title_hash: int
    shingles: int
    signature: bytes  # b"" when the text was too short to sketch
    summary_only: bool = False

    def pack(self) -> bytes:
        flags = 1 if self.summary_only else 0
        head = _HEAD.pack(RECORD_VERSION, self.at, self.story_at, self.body_hash, self.title_hash, self.shingles, flags)
        own = b"" if self.article_id == self.story else _cut(self.article_id)  # a first article: its id once
        return b"".join((head, _sized(self.signature), _sized(own), _sized(_cut(self.story))))

    @classmethod
    def unpack(cls, record: bytes) -> Entry:
        try:
            version, at, story_at, body_hash, title_hash, shingles, flags = _HEAD.unpack_from(record)
            signature, offset = _read_sized(record, _HEAD.size)
            article_id, offset = _read_sized(record, offset)
            story, offset = _read_sized(record, offset)
            article, first = (article_id or story).decode(), story.decode()
            entry = cls(article, first, at, story_at, body_hash, title_hash, shingles, signature, bool(flags & 1))
        except (struct.error, UnicodeDecodeError, TypeError) as exc:
            raise BadEntry(f"stories: unreadable index entry ({exc})") from exc
        if version != RECORD_VERSION or offset != len(record) or len(signature) not in (0, SIGNATURE_BYTES):
            raise BadEntry(f"stories: index entry of version {version}, {len(record)} bytes, is not one we wrote")
        return entry


def stored_id(text: str) -> str:
    """An id as the index keeps it: at most ``ID_MAX_BYTES`` of UTF-8 (a story's id is what its copies read back)."""
    return text.encode("utf-8", "replace")[:ID_MAX_BYTES].decode("utf-8", "ignore")


def _cut(text: str) -> bytes:
    return stored_id(text).encode()


def _sized(data: bytes) -> bytes:
    return struct.pack("<H", len(data)) + data


def _read_sized(record: bytes, offset: int) -> tuple[bytes, int]:
    (size,) = struct.unpack_from("<H", record, offset)
    end = offset + 2 + size
    if end > len(record):
        raise BadEntry("stories: index entry is cut short")
    return record[offset + 2 : end], end
