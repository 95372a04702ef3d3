"""Keep XML entity attacks away from the feed parser, and refuse to run on an Expat known to be unsafe.

A feed never needs its own DTD. Before feedparser sees the bytes, the prolog (everything before the root element)
is read by Expat with handlers that only record what is declared: nothing in a DTD is expanded there, parameter
and external entities stop the scan at their declaration, and the whole DOCTYPE is then cut out. Billion laughs
and quadratic blow-up lose their definitions, and external entities and DTDs are never fetched (Expat does not
fetch by itself, and feedparser only gets a document without a DOCTYPE).
"""

from __future__ import annotations

import contextlib
import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field

from worker.errors import FeedError

# 2.4.1 bounds entity amplification (CVE-2013-0340, "billion laughs"); 2.5.0 fixes the use-after-free that a
# document can reach (CVE-2022-43680). Python's own XML notes advise 2.7.2 or newer, which we log as advice.
EXPAT_REQUIRED = (2, 5, 0)
EXPAT_RECOMMENDED = (2, 7, 2)
HTML_HEAD_BYTES = 1024


@dataclass
class Prolog:
    """What the scan of the prolog found."""

    root: str | None = None  # local name of the root element, lower-case ("rss", "feed", "rdf", "html")
    root_at: int | None = None  # byte offset of the root element
    doctype_at: int | None = None  # byte offset of "<!DOCTYPE"
    entities: list[str] = field(default_factory=list)  # names of declared internal general entities
    refused: str | None = None  # why the document is refused outright


class _Stop(Exception):
    """Raised from a handler to end the scan (at the root element, or at a hostile declaration)."""


def check_expat(version: tuple[int, int, int] | None = None) -> str | None:
    """Raise :class:`FeedError` on an Expat too old to parse strangers' XML; return advice for an oldish one."""
    found = tuple(version or expat.version_info)
    shown = ".".join(map(str, found))
    if found < EXPAT_REQUIRED:
        need = ".".join(map(str, EXPAT_REQUIRED))
        raise FeedError(
            f"feeds: refusing to start: Expat {shown} is older than {need} and can be attacked by the feeds it "
            "parses (entity expansion, memory errors); use a Python built with a newer libexpat"
        )
    if found < EXPAT_RECOMMENDED:
        return f"feeds: Expat {shown} is older than the advised {'.'.join(map(str, EXPAT_RECOMMENDED))}"
    return None


def scan_prolog(body: bytes) -> Prolog:
    """Read declarations up to the root element without expanding any of them."""
    prolog = Prolog()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = lambda *_: _mark_doctype(prolog, parser, body)
    parser.EntityDeclHandler = lambda *args: _entity(prolog, *args)
    parser.StartElementHandler = lambda name, _attrs: _root(prolog, parser, name)
    # stopped at the root on purpose, or a prolog Expat cannot read (the caller decides what that means)
    with contextlib.suppress(_Stop, expat.ExpatError):
        parser.Parse(body, True)
    return prolog


def defuse(body: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``body`` without its DOCTYPE; :class:`FeedError` for external or parameter entities."""
    prolog = scan_prolog(body)
    if prolog.refused:
        raise FeedError(f"feeds: refusing a document that {prolog.refused}")
    if prolog.root_at is None:
        if re.search(rb"<!ENTITY", body, re.IGNORECASE):
            raise FeedError("feeds: refusing a document that declares XML entities in a prolog Expat cannot read")
        return body, ()
    warnings = (f"ignored {len(prolog.entities)} XML entity declarations",) if prolog.entities else ()
    if prolog.doctype_at is None:
        return body, warnings
    return body[: prolog.doctype_at] + body[prolog.root_at :], warnings


def looks_like_html(body: bytes) -> bool:
    """A last look at documents Expat could not read: an HTML doctype or <html> tag near the start."""
    head = body[:HTML_HEAD_BYTES].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _mark_doctype(prolog: Prolog, parser: expat.XMLParserType, body: bytes) -> None:
    # Expat reports the event after "<!DOCTYPE name [" has been read; the declaration starts at the last
    # "<!DOCTYPE" before that point (XML spells it in capitals only)
    prolog.doctype_at = body.rfind(b"<!DOCTYPE", 0, parser.CurrentByteIndex + 1)


def _entity(
    prolog: Prolog,
    name: str,
    is_parameter: int,
    _value: str | None,
    _base: str | None,
    system_id: str | None,
    _public_id: str | None,
    notation: str | None,
) -> None:
    if is_parameter:
        prolog.refused = f"declares the parameter entity %{name};"
    elif system_id is not None or notation is not None:
        prolog.refused = f"declares the external entity &{name}; ({system_id!r})"
    if prolog.refused:
        raise _Stop
    prolog.entities.append(name)


def _root(prolog: Prolog, parser: expat.XMLParserType, name: str) -> None:
    prolog.root = name.rsplit(":", 1)[-1].lower()
    prolog.root_at = parser.CurrentByteIndex
    raise _Stop
