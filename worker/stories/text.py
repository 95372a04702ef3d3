"""What of an article counts as its story text: the body without datelines, agency tags and boilerplate lines,
normalized (worker/hindi) so that nukta, anusvara and joiner spellings cannot hide a copy, as word shingles.

Every limit here bounds the work on a huge article: the text is cut before it is normalized, and the shingles
are cut again, so a 2 MB page costs what a long article costs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

from worker.clean.boilerplate import is_boilerplate
from worker.clean.dateline import AGENCIES
from worker.hindi.normalize import key

TEXT_MAX_CHARS = 20_000  # a long wire story is ~8,000 characters; past this, more text adds no evidence
SHINGLE_WORDS = 3
SHINGLES_MAX = 1_500
LINE_MIN_WORDS = 4  # place names on a line of their own ("नई दिल्ली"), sub-heads, photo credits
BOILERPLATE_LINE_MAX_CHARS = 300  # site chrome is short: a long paragraph is not tested against every pattern
TITLE_MIN_WORDS = 4
LEDE_KEY_WORDS = 12  # a shorter headline ("लाइव अपडेट") is shared by too many stories to identify one

_AGENCY_ALTERNATIVES = "|".join(sorted((re.escape(agency) for agency in AGENCIES), key=len, reverse=True))
# "(भाषा)", "(एजेंसी)", "IANS", "PTI" wherever they stand: the same copy carries them or not depending on the outlet
AGENCY_TAG = re.compile(rf"\(\s*(?:{_AGENCY_ALTERNATIVES})\s*\)|\b(?:IANS|PTI|ANI|UNI)\b", re.IGNORECASE)
_MONTHS = "जनवरी|फरवरी|फ़रवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर|अक्तूबर|नवंबर|नवम्बर|दिसंबर|दिसम्बर"
# "नई दिल्ली, 12 मार्च" / "पटना, 5 जून :" opening a paragraph: outlets change the place or the date on a copy
DATED_DATELINE = re.compile(rf"^\s*[^,।:()\n]{{2,40}}?,\s*\d{{1,2}}\s+(?:{_MONTHS})\s*[,।:\-–]?\s*")
# "नई दिल्ली, एजेंसी।" and other short "place, agency।" openings
SHORT_DATELINE = re.compile(r"^\s*[^,।:()\n]{2,30}?\s*[,(]\s*[^,।:()\n]{2,20}?\)?\s*[।:]\s*")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's story text as numbers: the hash of all of it, its shingles' hashes, its headline's hash."""

    body_hash: int  # 0 when there is no story text
    shingles: frozenset[int]
    title_hash: int  # 0 when the headline is too short to identify a story
    words: int
    lede_hash: int = 0  # the first LEDE_KEY_WORDS story words: a feed summary usually is the article's opening


def fingerprint(title: str, text: str) -> Fingerprint:
    """The fingerprint of an article (``text`` may be only a feed summary)."""
    words = story_words(text)
    body = " ".join(words)
    return Fingerprint(
        body_hash=_hash64(body) if body else 0,
        shingles=frozenset(shingle_hashes(words)),
        title_hash=title_hash(title),
        words=len(words),
        lede_hash=_hash64("lede " + " ".join(words[:LEDE_KEY_WORDS])) if len(words) >= LEDE_KEY_WORDS else 0,
    )


def story_words(text: str) -> list[str]:
    """The normalized words of the lines that carry the story, in order."""
    words: list[str] = []
    for line in text[:TEXT_MAX_CHARS].splitlines():
        line_words = _line_key(line).split()
        if len(line_words) >= LINE_MIN_WORDS:
            words.extend(line_words)
    return words


def shingle_hashes(words: list[str]) -> list[int]:
    """32-bit hashes of the first ``SHINGLES_MAX`` runs of ``SHINGLE_WORDS`` words (crc32: stable across
    processes, unlike ``hash()``, and fast)."""
    count = min(len(words) - SHINGLE_WORDS + 1, SHINGLES_MAX)
    return [zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(count)]


def title_hash(title: str) -> int:
    title_key = key(AGENCY_TAG.sub(" ", title[:TEXT_MAX_CHARS]))
    return _hash64(title_key) if len(title_key.split()) >= TITLE_MIN_WORDS else 0


def _line_key(line: str) -> str:
    if not line.strip() or (len(line) <= BOILERPLATE_LINE_MAX_CHARS and is_boilerplate(line)):
        return ""
    line = AGENCY_TAG.sub(" ", line)
    line = DATED_DATELINE.sub("", line, count=1)
    line = SHORT_DATELINE.sub("", line, count=1) if len(line) > 80 else line
    return key(line)


def _hash64(text: str) -> int:
    """A stable 63-bit hash (fits SQLite's signed INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") >> 1
