"""The headline without the site's decoration: " - Dainik Jagran", "| Amar Ujala", "बिजनेस स्टैंडर्ड - ", slugs."""

from __future__ import annotations

import re

from worker.clean.text import comparable, has_devanagari, squash

SEPARATOR = re.compile(r"\s+[|\-–—:]{1,2}\s+|\s*\|\s*")
# A trailing segment this short that ends in "News" / "न्यूज़" is a section label ("Samastipur News").
LABEL_MAX_WORDS = 4
LABEL_WORDS = ("news", "न्यूज़", "न्यूज", "समाचार", "hindi", "हिंदी", "हिन्दी", "latest", "live")


# Badges and video-length tails that listing pages and scraped feeds glue onto headlines:
# "LIVE ... 0:52 Play video", "भास्कर एक्सक्लूसिव ...". A badge followed by a colon is a kicker and stays.
BADGE_PREFIX = re.compile(r"^(?:LIVE|भास्कर\s+एक्सक्लूसिव|भास्कर\s+इन्वेस्टिगेशन|ग्राउंड\s+रिपोर्ट|EXCLUSIVE)\s+(?![:：|\-–])")
VIDEO_SUFFIX = re.compile(r"\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:Play|Watch)\s+video\s*$", re.IGNORECASE)


def clean_headline(headline: str) -> str:
    """A headline without the badges and video-length tails around it, whitespace squashed."""
    text = VIDEO_SUFFIX.sub("", squash(headline))
    while (stripped := BADGE_PREFIX.sub("", text, count=1)) != text:
        text = stripped
    return text


def clean_title(title: str, *, heading: str, site_name: str | None, suffixes: tuple[str, ...]) -> str:
    """``title`` without site name, section labels or slug; the on-page ``heading`` decides when it can."""
    title = clean_headline(title)
    for suffix in suffixes:
        if suffix and title.endswith(suffix):
            title = title[: -len(suffix)].rstrip()
    segments = SEPARATOR.split(title)
    if heading and len(segments) > 1:
        matched = _span_matching(segments, title, heading)
        if matched:
            return matched
    return _without_labels(title, segments, site_name)


def _span_matching(segments: list[str], title: str, heading: str) -> str | None:
    """The stretch of ``title`` between separators that says what the page's <h1> says, if there is one."""
    wanted = comparable(heading)
    for start in range(len(segments)):
        for end in range(len(segments), start, -1):
            if comparable("".join(segments[start:end])) == wanted:
                return _slice(title, segments, start, end)
    return None


def _slice(title: str, segments: list[str], start: int, end: int) -> str:
    first = title.index(segments[start])
    last = title.index(segments[end - 1], first) + len(segments[end - 1])
    return title[first:last].strip()


def _without_labels(title: str, segments: list[str], site_name: str | None) -> str:
    while len(segments) > 1 and _is_label(segments[-1], site_name):
        segments = segments[:-1]
    while len(segments) > 1 and _is_label(segments[0], site_name):
        segments = segments[1:]
    return _slice(title, segments, 0, len(segments)) if segments else title


def _is_label(segment: str, site_name: str | None) -> bool:
    key = comparable(segment)
    if not key:
        return True
    if site_name and (comparable(site_name) in key or key in comparable(site_name)):
        return True
    words = segment.split()
    if len(words) <= LABEL_MAX_WORDS and segment.casefold().endswith(LABEL_WORDS):
        return True
    return len(words) <= LABEL_MAX_WORDS and not has_devanagari(segment) and _is_known_site(key)


def _is_known_site(key: str) -> bool:
    return any(
        name in key
        for name in ("jagran", "bhaskar", "ujala", "hindustan", "ndtv", "aajtak", "abplive", "news18", "zee", "patrika")
    )
