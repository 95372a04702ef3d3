"""Article identity: the same story reached by two feeds, or with tracking parameters, is one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from requests.utils import requote_uri

# query parameters that only track the reader; dropping them makes two links to one story compare equal
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "ref", "ref_src", "ito", "ns_mchannel", "ns_source", "at_medium"}
)
TRACKING_PREFIXES = ("utm_",)
PERCENT_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)


def normalize_link(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "http"
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k))
    path = _canonical_escapes(parts.path).rstrip("/") or "/"
    return urlunsplit(("https" if scheme in {"http", "https"} else scheme, netloc, path, urlencode(query), ""))


def without_tracking(url: str) -> str:
    """The link as published, minus tracking parameters: what an alert shows a reader."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _tracking(k)]
    if len(kept) == len(pairs):
        return url.strip()  # untouched, so the link keeps the publisher's own spelling
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))


def article_key(*, link: str | None, guid: str | None) -> str:
    """The identity of a feed item: its normalized link, else its GUID."""
    if link:
        return normalize_link(link)
    if guid:
        return f"guid:{guid.strip()}"
    raise ValueError("a feed item with neither link nor guid has no identity")


def _tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_escapes(path: str) -> str:
    """One spelling for a path: Devanagari written raw or percent-encoded, in either hex case, compares equal."""
    return PERCENT_ESCAPE.sub(lambda match: match.group(0).upper(), requote_uri(path))
