"""What every alert message says, before any platform's markup: the common, readable content of an alert."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import regex

from worker.alerts.limits import OUTLET_MAX_CHARS, SNIPPET_BUDGET_CHARS, TITLE_BUDGET_CHARS
from worker.alerts.model import Alert, AlertMatch
from worker.alerts.text import Run, Runs, clean_line, head, truncate
from worker.timezones import IST

HINDI_MONTHS = (
    "जनवरी",
    "फ़रवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
)
KIND_LABELS = {"leader": "नेता", "topic": "विषय"}
UNKNOWN_TIME = "समय अज्ञात"
UNTITLED = "(बिना शीर्षक)"
PRODUCT_NAME = "khabardar"
READ_MORE = "पूरी ख़बर पढ़ें"
ALSO_IN = "और भी"
ALSO_IN_SHOWN_MAX = 6  # outlets named after "और भी"; past this, "+N"
# A name counts as a word only between non-letters; Devanagari vowel signs and viramas are marks (\p{M}).
_WORD_CHAR = r"[\p{L}\p{M}\p{N}]"
INFLECTION_SUFFIX = r"[\p{L}\p{M}]{0,4}"  # Hindi case and number endings: ों, ें, ी, ाओं


def format_ist(moment: datetime | None) -> str:
    """``28 नवंबर 2026, 14:05 IST``; a naive datetime is taken to be UTC."""
    if moment is None:
        return UNKNOWN_TIME
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(IST)
    return f"{local.day} {HINDI_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} IST"


def _alternatives(names: Sequence[str], suffix: str) -> list[str]:
    cleaned = sorted({clean_line(name) for name in names if clean_line(name)}, key=len, reverse=True)
    return [regex.escape(name) + suffix for name in cleaned]


def highlight(snippet: str, names: Sequence[str], inflected: Sequence[str] = ()) -> Runs:
    """The snippet split into runs, the matched names (whole words, Latin case-insensitive) marked bold.

    ``inflected`` names (topic terms) also bold their inflected forms: प्रतिबंध in प्रतिबंधों.
    """
    alternatives = _alternatives(names, "") + _alternatives(inflected, INFLECTION_SUFFIX)
    if not alternatives or not snippet:
        return ((snippet, False),) if snippet else ()
    pattern = regex.compile(rf"(?<!{_WORD_CHAR})(?:{'|'.join(alternatives)})(?!{_WORD_CHAR})", regex.IGNORECASE)
    runs: list[Run] = []
    position = 0
    for found in pattern.finditer(snippet):
        runs.extend([(snippet[position : found.start()], False), (found.group(), True)])
        position = found.end()
    runs.append((snippet[position:], False))
    return tuple(run for run in runs if run[0])


def also_in_text(outlets: Sequence[str]) -> str:
    """``और भी: A, B +3``: the other outlets that carried the story; every one is counted, even those not named."""
    if not outlets:
        return ""
    named = ", ".join(outlets[:ALSO_IN_SHOWN_MAX])
    rest = len(outlets) - ALSO_IN_SHOWN_MAX
    return f"{ALSO_IN}: {named}" + (f" +{rest}" if rest > 0 else "")


def other_outlets(outlet: str, copies: Sequence[str]) -> tuple[str, ...]:
    """The outlets of the later copies, cleaned, each once, without the first article's own."""
    cleaned = (truncate(clean_line(head(name, OUTLET_MAX_CHARS)), OUTLET_MAX_CHARS) for name in copies)
    return tuple(name for name in dict.fromkeys(cleaned) if name and name != outlet)


def match_label(match: AlertMatch) -> str:
    return KIND_LABELS.get(match.kind, match.kind)


def match_names(match: AlertMatch) -> str:
    """``पुतिन, व्लादिमीर पुतिन (3×)``: the names that matched and how often the entity was mentioned (and, under a
    prominence rule, where: ``(3×, title)``)."""
    names = ", ".join(clean_line(name) for name in match.names) or match.entity
    return f"{names} ({match.count}×, {match.where})" if match.where else f"{names} ({match.count}×)"


@dataclass(frozen=True)
class AlertView:
    """One alert's content, cleaned (NFC, no control characters, one line per field) and ready to mark up."""

    id: str
    watchlist: str
    title: str
    url: str
    outlet: str
    when: str
    matches: tuple[AlertMatch, ...]
    snippet: Runs
    also_in: tuple[str, ...] = ()  # the outlets of the story's later copies (see also_in_text)

    @classmethod
    def of(cls, alert: Alert) -> AlertView:
        article = alert.article
        snippet = clean_line(head(article.snippet, SNIPPET_BUDGET_CHARS))
        leaders = [name for match in alert.matches if match.kind != "topic" for name in match.names]
        topics = [name for match in alert.matches if match.kind == "topic" for name in match.names]
        outlet = truncate(clean_line(head(article.outlet or article.source, OUTLET_MAX_CHARS)), OUTLET_MAX_CHARS)
        return cls(
            id=alert.id,
            watchlist=alert.watchlist,
            title=truncate(clean_line(head(article.title, TITLE_BUDGET_CHARS)) or UNTITLED, TITLE_BUDGET_CHARS),
            url=article.url.strip(),
            outlet=outlet,
            when=format_ist(article.published),
            matches=alert.matches,
            snippet=highlight(snippet, leaders, topics),  # clean_line has made it NFC, like the names
            also_in=other_outlets(outlet, [copy.outlet for copy in alert.also_in]),
        )

    @property
    def byline(self) -> str:
        """``outlet · time``, and ``· और भी: …`` once later copies of the story are known."""
        return " · ".join(part for part in (self.outlet, self.when, self.also_in_text) if part)

    @property
    def footer(self) -> str:
        return f"{self.watchlist} · {PRODUCT_NAME}"

    @property
    def also_in_text(self) -> str:
        return also_in_text(self.also_in)


def matches_runs(matches: tuple[AlertMatch, ...]) -> Runs:
    """One line per matched entity: the kind in bold, then ``putin: पुतिन, व्लादिमीर पुतिन (3×)``."""
    runs: list[Run] = []
    for index, match in enumerate(matches):
        separator = "\n" if index else ""
        runs.extend([(separator, False), (match_label(match), True), (f" {match.entity}: {match_names(match)}", False)])
    return tuple(run for run in runs if run[0])
