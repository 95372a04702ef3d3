"""The cleaned article: what matching, alerts and ``khabardar clean`` see."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CleanArticle:
    """One article as a Hindi reader sees it.

    ``text`` is the body only: NFC, paragraphs separated by one blank line, no site boilerplate. Times are
    timezone-aware (a page that gives none is read as Indian Standard Time). ``extracted_by`` names the source
    of the body: ``trafilatura``, ``profile`` (a site profile's container), ``jsonld``, ``density`` or ``feed``.
    """

    url: str
    title: str
    text: str
    published: datetime | None
    source: str
    canonical_url: str | None = None
    updated: datetime | None = None
    author: str | None = None
    agency: str | None = None
    dateline: str | None = None
    language: str | None = None
    image: str | None = None
    extracted_by: str = "trafilatura"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: times as ISO-8601 strings, every field present (``None`` as null)."""
        document: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            document[field.name] = value.isoformat() if isinstance(value, datetime) else value
        return document
