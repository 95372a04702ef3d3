"""Turn a page's bytes into text without ever letting a wrong charset label turn Devanagari into mojibake.

Order of evidence: a byte-order mark (certain), then valid UTF-8 (a legacy 8-bit page almost never happens to
be valid UTF-8, while Hindi sites often label UTF-8 pages ``iso-8859-1``), then the HTTP header, then the
``<meta>`` declaration, then statistical detection.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
META_SNIFF_BYTES = 4096
DETECT_SAMPLE_BYTES = 64 * 1024
# A UTF-8 page cut at the size cap may end inside a character: that many bytes may fail to decode at the end.
UTF8_CHAR_MAX_BYTES = 4
# A UTF-8 page with a few stray bytes is still UTF-8: at most this share of its non-ASCII characters may be bad.
UTF8_BAD_SHARE_MAX = 0.05

# C0 controls but tab and line breaks, DEL, C1 controls, surrogates that no encoder can write back out, and the
# replacement character a stray byte decodes to: none of them is text a reader sees.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
# Labels that mean "UTF-8 or ASCII" in practice; a page so labelled that is not valid UTF-8 needs detection.
LATIN_LABELS = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"})


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as NFC text: BOM, valid UTF-8, header charset, meta charset, then detection."""
    return without_controls(_decode(body, content_type))


def without_controls(text: str) -> str:
    """``text`` in NFC without control characters (line breaks and tabs stay), lone surrogates or U+FFFD."""
    return unicodedata.normalize("NFC", CONTROL_CHARS.sub("", text))


def _decode(body: bytes, content_type: str | None) -> str:
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    utf8 = _as_utf8(body)
    if utf8 is not None:
        return utf8
    for label in (_header_charset(content_type), _meta_charset(body)):
        declared = _usable(label)
        if declared is not None and declared not in ("utf-8", "ascii"):
            return body.decode(declared, errors="replace")
    return _detected(body)


def _as_utf8(body: bytes) -> str | None:
    """The body as UTF-8 when it is UTF-8 (allowing a cut last character and rare stray bytes), else None."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(body) - UTF8_CHAR_MAX_BYTES and exc.reason == "unexpected end of data":
            return body[: exc.start].decode("utf-8", errors="replace")
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for char in text if ord(char) > 0x7F)
    return text if non_ascii and bad <= UTF8_BAD_SHARE_MAX * non_ascii else None


def _header_charset(content_type: str | None) -> str | None:
    match = HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:META_SNIFF_BYTES])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _usable(label: str | None) -> str | None:
    """A Python codec name for ``label``, or None when it is unknown or (for a non-UTF-8 page) a Latin guess."""
    if not label or label.lower() in LATIN_LABELS:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _detected(body: bytes) -> str:
    best = charset_normalizer.from_bytes(body[:DETECT_SAMPLE_BYTES]).best()
    encoding = best.encoding if best is not None else "windows-1252"
    return body.decode(encoding, errors="replace")
