"""Read the dates Hindi news pages print: ISO-8601, RFC 2822, English or Hindi month names; naive means IST."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from dateutil import parser as date_parser

from worker.timezones import IST

# Pages before this year or after next year are misreadings (a phone number, a story id), not publication dates.
YEAR_MIN = 1995
DATE_TEXT_MAX_CHARS = 120

_HINDI_MONTHS = {
    "जनवरी": "January",
    "फरवरी": "February",
    "फ़रवरी": "February",
    "मार्च": "March",
    "अप्रैल": "April",
    "अप्रेल": "April",
    "मई": "May",
    "जून": "June",
    "जुलाई": "July",
    "अगस्त": "August",
    "सितंबर": "September",
    "सितम्बर": "September",
    "अक्टूबर": "October",
    "अक्तूबर": "October",
    "नवंबर": "November",
    "नवम्बर": "November",
    "दिसंबर": "December",
    "दिसम्बर": "December",
}
# Keys in NFC, the form page text arrives in (NFC keeps nukta letters such as फ़ decomposed).
HINDI_MONTHS = {unicodedata.normalize("NFC", name): month for name, month in _HINDI_MONTHS.items()}
HINDI_WORDS = {"बजे": "", "को": "", "तक": "", "अपडेटेड": "", "प्रकाशित": "", "पूर्वाह्न": "AM", "अपराह्न": "PM"}
DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
HINDI_MONTH = re.compile("|".join(sorted(HINDI_MONTHS, key=len, reverse=True)))
# Day and time words (Monday, सोमवार) and labels are noise to the parser; they carry nothing a date needs.
FOUR_DIGITS = re.compile(r"\d{4}")
NOISE = re.compile(r"[\u0900-\u097F]+|\(|\)|\||,")


def parse_date(value: str | None) -> datetime | None:
    """The moment ``value`` names, timezone-aware (IST when it names no zone); None when it is not a date."""
    if not value or len(value) > DATE_TEXT_MAX_CHARS:
        return None
    moment = _iso(value) or _free_form(english_date_text(value))
    if moment is None or not YEAR_MIN <= moment.year <= datetime.now(IST).year + 1:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=IST)


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _free_form(text: str) -> datetime | None:
    if not FOUR_DIGITS.search(text):
        return None  # a bare time or weekday would be read as today
    try:
        # Indian pages write the day first: 09-03-2023 is the ninth of March
        return date_parser.parse(text, fuzzy=True, dayfirst=True, tzinfos={"IST": IST})
    except (ValueError, OverflowError):
        return None


def english_date_text(value: str) -> str:
    """``value`` with Hindi month names, Devanagari digits and Hindi filler words put in English."""
    text = value.translate(DEVANAGARI_DIGITS)
    text = HINDI_MONTH.sub(lambda match: f" {HINDI_MONTHS[match.group(0)]} ", text)
    for word, replacement in HINDI_WORDS.items():
        text = text.replace(word, f" {replacement} ")
    return " ".join(NOISE.sub(" ", text).split())
