"""The dateline that opens a Hindi report: "व्लादीवोस्तक, रायटर।", "जागरण संवाददाता, आगरा।", "नई दिल्ली (भाषा)"."""

from __future__ import annotations

import re
from dataclasses import dataclass

DATELINE_PART_MAX_WORDS = 3
# Some sites open with a one-paragraph summary and put the dateline on the story's first paragraph after it.
DATELINE_PARAGRAPHS = 2
AGENCIES = frozenset(
    {
        "रायटर",
        "रॉयटर",
        "रॉयटर्स",
        "रायटर्स",
        "एएफपी",
        "एपी",
        "पीटीआई",
        "पीटीआइ",
        "भाषा",
        "आईएएनएस",
        "आइएएनएस",
        "एएनआई",
        "एएनआइ",
        "यूएनआई",
        "यूएनआइ",
        "वार्ता",
        "एजेंसी",
        "एजेंसियां",
        "जेएनएन",
        "ब्यूरो",
        "हिटी",
        "reuters",
        "afp",
        "ap",
        "pti",
        "ians",
        "ani",
        "uni",
    }
)
# Bylines that name the desk rather than a wire service still say who filed the story.
AGENCY_WORDS = ("संवाददाता", "डेस्क", "टीम", "ब्यूरो", "एजेंसी", "desk", "bureau")
# "place, agency।" or "agency, place।" — at most a few words each, ended by a danda or colon.
COMMA_DATELINE = re.compile(r"^\s*([^,।:()\n]{2,40}?)\s*,\s*([^,।:()\n]{2,40}?)\s*[।:|]")
PAREN_DATELINE = re.compile(r"^\s*([^,।:()\n]{2,40}?)\s*(?:,\s*[^()।\n]{1,30})?\(\s*([^()\n]{2,30}?)\s*\)\s*[।:\-–]?")
PLACE_ONLY = re.compile(r"^\s*([^,।:()\n\s][^,।:()\n]{1,30}?)\s*[।:]\s")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    agency: str | None


def dateline_of(paragraphs: list[str]) -> Dateline:
    """The dateline of a body: in its first paragraph, or in its second when the first is a standfirst."""
    for paragraph in paragraphs[:DATELINE_PARAGRAPHS]:
        found = find_dateline(paragraph)
        if found.place or found.agency:
            return found
    return Dateline(place=None, agency=None)


def find_dateline(first_paragraph: str) -> Dateline:
    """The place and agency in the opening words of ``first_paragraph`` (each None when not given)."""
    for pattern in (COMMA_DATELINE, PAREN_DATELINE):
        match = pattern.match(first_paragraph)
        if match and _short(match.group(1)) and _short(match.group(2)):
            return _ordered(match.group(1).strip(), match.group(2).strip())
    match = PLACE_ONLY.match(first_paragraph)
    if match and _short(match.group(1)) and not _is_agency(match.group(1)):
        return Dateline(place=match.group(1).strip(), agency=None)
    return Dateline(place=None, agency=None)


def _ordered(first: str, second: str) -> Dateline:
    if _is_agency(first) and not _is_agency(second):
        return Dateline(place=second, agency=first)
    if _is_agency(second):
        return Dateline(place=first, agency=second)
    return Dateline(place=None, agency=None)  # two words that are neither wire nor desk: not a dateline


def _is_agency(text: str) -> bool:
    lowered = text.strip().casefold()
    return lowered in AGENCIES or any(word in lowered for word in AGENCY_WORDS)


def _short(text: str) -> bool:
    return 0 < len(text.split()) <= DATELINE_PART_MAX_WORDS
