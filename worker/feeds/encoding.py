"""Turn feed bytes into clean UTF-8 before parsing, so one bad byte does not cost a whole Hindi feed.

Indian publishers' servers often label UTF-8 feeds ``ISO-8859-1`` or plain ``text/xml``, and scrapers leave
stray bytes and control characters in titles. Decoding here, once, with clear rules, means feedparser always
gets valid UTF-8 with a matching declaration, and every repair is reported as a warning.
"""

from __future__ import annotations

import codecs
import html.entities
import re

BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>")
XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([\w.:-]+)["']""")
# characters XML 1.0 forbids, which make Expat give up on the whole document
XML_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
XML_PREDEFINED_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


def to_utf8(body: bytes, content_type: str | None) -> tuple[bytes, tuple[str, ...]]:
    """``body`` as UTF-8 with a UTF-8 XML declaration, and what had to be repaired on the way."""
    text, warnings = decode(body, content_type)
    cleaned = XML_FORBIDDEN_CHARS.sub("", text)
    if len(cleaned) != len(text):
        warnings += (f"removed {len(text) - len(cleaned)} characters that XML forbids",)
    data = cleaned.lstrip("\ufeff \t\r\n").encode("utf-8")
    return XML_DECLARATION.sub(b'<?xml version="1.0" encoding="utf-8"?>', data, count=1), warnings


def decode(body: bytes, content_type: str | None) -> tuple[str, tuple[str, ...]]:
    """Decode by BOM, else as UTF-8 when the bytes are UTF-8, else by the declared charset, else repair."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), ()
    declared = _declared(body, content_type)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_declared(body, declared)
    if declared and declared not in ("utf-8", "utf8") and not text.isascii():
        return text, (f"declared {declared} but is UTF-8; read as UTF-8",)
    return text, ()


def _decode_declared(body: bytes, declared: str | None) -> tuple[str, tuple[str, ...]]:
    if declared and declared not in ("utf-8", "utf8") and _known(declared):
        try:
            return body.decode(declared), ()
        except UnicodeDecodeError:
            pass
    text = body.decode("utf-8", errors="replace")
    return text, (f"replaced {text.count(chr(0xFFFD))} bytes that are not valid UTF-8",)


def _declared(body: bytes, content_type: str | None) -> str | None:
    """The charset from the HTTP header, else from the XML declaration, lower-case."""
    match = CHARSET_PARAM.search(content_type or "")
    if match:
        return match.group(1).lower()
    declaration = XML_DECLARATION.match(body)
    found = XML_ENCODING.search(declaration.group(0)) if declaration else None
    return found.group(1).decode("ascii").lower() if found else None


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def html_entities_to_refs(data: bytes) -> bytes:
    """``&nbsp;`` and the other HTML entities feeds use as if XML knew them, as numeric references; unknown
    names as literal text.

    Called once the DOCTYPE is gone, so no entity can be defined by the document itself: without this, one
    ``&nbsp;`` makes the strict parser give up and the whole feed goes through the lenient one.
    """
    return NAMED_ENTITY.sub(_numeric_reference, data)


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name in XML_PREDEFINED_ENTITIES:
        return match.group(0)
    text = html.entities.html5.get(name.decode("ascii") + ";")
    if text is None:
        return b"&amp;" + match.group(0)[1:]  # nothing defines it: keep it as the text it was written as
    return b"".join(b"&#%d;" % ord(char) for char in text)
