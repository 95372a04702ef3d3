"""Publication times as Hindi news sites write them, and whether an item is recent enough to alert on.

Feeds mostly use RFC 822 or ISO 8601, but Indian publishers add ``IST`` (which generic parsers do not know, or
read as another zone), pages write ``23 जुलाई 2026, 11:48 पूर्वाह्न``, digits may be Devanagari, and a time with
no zone from an Indian site is Indian time.
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

from worker.timezones import IST

FUTURE_TOLERANCE = timedelta(hours=6)  # publishers' clocks and zone labels are often hours off; days is a typo
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
NUKTA = "\u093c"
DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

# spellings seen on Hindi sites, nukta removed (फ़रवरी and फरवरी are one key)
HINDI_MONTHS = {
    "जनवरी": "Jan",
    "फरवरी": "Feb",
    "फरबरी": "Feb",
    "मार्च": "Mar",
    "अप्रैल": "Apr",
    "अप्रेल": "Apr",
    "मई": "May",
    "जून": "Jun",
    "जुलाई": "Jul",
    "जुलाइ": "Jul",
    "अगस्त": "Aug",
    "सितंबर": "Sep",
    "सितम्बर": "Sep",
    "अक्टूबर": "Oct",
    "अक्तूबर": "Oct",
    "नवंबर": "Nov",
    "नवम्बर": "Nov",
    "दिसंबर": "Dec",
    "दिसम्बर": "Dec",
}
HINDI_MERIDIEM = {"पूर्वाह्न": "AM", "पूर्वान्ह": "AM", "सुबह": "AM", "अपराह्न": "PM", "अपरान्ह": "PM", "शाम": "PM"}
# words around a date that carry no date: weekdays, "published", "updated", "date", "o'clock"
NOISE_WORDS = re.compile(
    r"(रविवार|सोमवार|मंगलवार|बुधवार|गुरुवार|बृहस्पतिवार|शुक्रवार|शनिवार|प्रकाशित|अपडेटेड|अपडेट|दिनांक|तारीख|बजे"
    r"|\b(?:updated|published|posted|last modified)\b)\s*:?",
    re.IGNORECASE,
)
IST_LABEL = re.compile(r"[(\[]?\bIST\b[)\]]?")
# "GMT+5:30" means five and a half hours ahead, but dateutil reads it the POSIX way round (behind)
NAMED_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b")
YEAR_FIRST = re.compile(r"^\d{4}[-/.]")


def parse_date(text: str | None, *, default_tz: timezone = IST) -> datetime | None:
    """An aware UTC datetime for ``text``, or None when it holds no plausible date."""
    if not text or not text.strip():
        return None
    text = NAMED_OFFSET.sub(_numeric_offset, text.strip())
    for reader in (_iso, _rfc822, _loose):
        moment = reader(text)
        if moment is not None:
            return _plausible((moment if moment.tzinfo else moment.replace(tzinfo=default_tz)).astimezone(UTC))
    return None


def is_alertable(
    published: datetime | None,
    now: datetime,
    max_age: timedelta,
    *,
    future_tolerance: timedelta = FUTURE_TOLERANCE,
) -> bool:
    """True unless ``published`` is older than ``max_age`` or further ahead than ``future_tolerance``.

    An undated item is alertable: the seen-set, not the date, is what keeps old news from repeating.
    """
    if published is None:
        return True
    return now - max_age <= published <= now + future_tolerance


def english_date_words(text: str) -> str:
    """Hindi month names, meridiem words and digits in the English forms date parsers read; noise removed."""
    text = unicodedata.normalize("NFC", text).replace(NUKTA, "").translate(DEVANAGARI_DIGITS)
    for hindi, english in (*HINDI_MONTHS.items(), *HINDI_MERIDIEM.items()):
        text = text.replace(hindi, f" {english} ")
    text = NOISE_WORDS.sub(" ", text)
    return " ".join(text.replace("|", " ").split())


def _numeric_offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.groups()
    return f"{sign}{int(hours):02d}{minutes or '00'}"


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime(IST_LABEL.sub("+0530", text))
    except (TypeError, ValueError, IndexError):
        return None
    # a zone the RFC parser does not know comes back naive: let the loose reader look at the text again
    return moment if moment.tzinfo else None


def _loose(text: str) -> datetime | None:
    words = IST_LABEL.sub(" +0530 ", english_date_words(text))
    if not re.search(r"\d{4}", words):
        return None  # without a year, a loose parse guesses too much
    try:
        return dateutil_parser.parse(words, dayfirst=not YEAR_FIRST.match(words), fuzzy=True)
    except (ValueError, OverflowError):
        return None


def _plausible(moment: datetime) -> datetime | None:
    return moment if EARLIEST_YEAR <= moment.year <= LATEST_YEAR else None
