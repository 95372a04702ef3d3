"""parse_feed on feeds written for these tests: HTML passed off as a feed, bad bytes, malformed XML, dates."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feeds.conftest import FEED_URL, item, rss
from worker.errors import FeedError
from worker.feeds import parse_feed
from worker.feeds.parse import NotAFeedError

HTML_PAGE = (
    "<!DOCTYPE html><html lang='hi'><head><title>पेज नहीं मिला</title></head><body><a href='/rss'>RSS</a></body></html>"
)


def test_a_hindi_feed_yields_its_entries_with_dates() -> None:
    body = rss(
        item(pubDate="Thu, 23 Jul 2026 11:48:50 IST", guid="budget-123")
        + item(title="मौसम: दिल्ली में बारिश", link="/desh/weather-9.html", pubDate="2026-07-23T06:00:00Z"),
        extra="<ttl>15</ttl>",
    )
    document = parse_feed(body, url=FEED_URL, content_type="application/rss+xml; charset=utf-8")
    assert document.title == "देश की ख़बरें"
    assert [entry.title for entry in document.entries] == ["संसद में बजट पेश", "मौसम: दिल्ली में बारिश"]
    assert document.entries[0].published == datetime(2026, 7, 23, 6, 18, 50, tzinfo=UTC)
    assert document.entries[1].link == "https://khabar.example/desh/weather-9.html"  # relative, resolved
    assert document.ttl_s == 15 * 60
    assert document.warnings == ()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (HTML_PAGE.encode(), "text/html; charset=utf-8"),
        (HTML_PAGE.encode(), "application/rss+xml"),  # the label lies, the bytes do not
        (HTML_PAGE.lower().encode(), None),
        (b"\n\n  <html><body>Moved</body></html>", "text/xml"),
        (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "application/xml"),
        (b'{"items": []}', "application/json"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b'<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>', "text/xml"),
        (b'<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>', "application/xml"),
    ],
)
def test_something_other_than_a_feed_is_a_clear_not_a_feed_error(body: bytes, content_type: str | None) -> None:
    with pytest.raises(NotAFeedError, match="not a feed"):
        parse_feed(body, url=FEED_URL, content_type=content_type)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("बजट&nbsp;पेश", "बजट\u00a0पेश"),
        ("&lsquo;बजट&rsquo; &amp; &lt;पेश&gt;", "\u2018बजट\u2019 & <पेश>"),
        ("&hellip;&mdash;&copy;", "\u2026\u2014\u00a9"),
        ("&notanentity; बजट", "&notanentity; बजट"),  # unknown: kept as the text it was
    ],
)
def test_html_entities_in_a_feed_are_read_without_falling_back_to_the_lenient_parser(text: str, title: str) -> None:
    document = parse_feed(rss(item(title=text)), url=FEED_URL)
    assert document.entries[0].title == title
    assert document.warnings == ()


def test_a_feed_served_as_html_is_used_with_a_warning() -> None:
    document = parse_feed(rss(item()), url=FEED_URL, content_type="text/html")
    assert len(document.entries) == 1
    assert document.warnings == ("served as text/html though it is a feed",)


@pytest.mark.parametrize(
    ("body", "warning"),
    [
        (rss(item(title="बजट <पेश")), "malformed feed"),  # a bare < in text
        (rss(item()).replace(b"</channel></rss>", b""), "malformed feed"),  # truncated
        (rss(item(title="संसद \x0b में")), "characters that XML forbids"),
        (rss(item(title="संसद में बजट")).replace("में".encode(), b"\xe0\xa4"), "not valid UTF-8"),
        (rss(item(), head='<?xml version="1.0" encoding="ISO-8859-1"?>'), "but is UTF-8"),
        (b"   \n" + rss(item()), ""),  # whitespace before the XML declaration is simply dropped
    ],
)
def test_a_malformed_feed_that_still_yields_entries_is_used_with_a_warning(body: bytes, warning: str) -> None:
    document = parse_feed(body, url=FEED_URL)
    assert len(document.entries) == 1
    assert document.entries[0].link == "https://khabar.example/desh/budget-123.html"
    if warning:
        assert any(warning in text for text in document.warnings), document.warnings
    else:
        assert document.warnings == ()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/xml; charset=ISO-8859-1", rss(item())),  # a UTF-8 feed mislabelled by its server
        ("text/xml", codecs.BOM_UTF8 + rss(item())),
        ("text/xml", codecs.BOM_UTF16_LE + rss(item()).decode().encode("utf-16-le")),
    ],
)
def test_hindi_text_survives_mislabelled_and_bom_marked_encodings(content_type: str, body: bytes) -> None:
    document = parse_feed(body, url=FEED_URL, content_type=content_type)
    assert document.title == "देश की ख़बरें"


def test_a_declared_single_byte_charset_is_honoured_when_the_bytes_are_not_utf8() -> None:
    body = b'<?xml version="1.0"?><rss><channel><item><title>Caf\xe9</title><link>https://x.example/a</link>'
    document = parse_feed(
        body + b"</item></channel></rss>", url=FEED_URL, content_type="text/xml; charset=windows-1252"
    )
    assert document.entries[0].title == "Caf\u00e9"


def test_bad_utf8_keeps_the_rest_of_the_title() -> None:
    body = rss(item(title="संसद में बजट")).replace("में".encode(), b"\xff\xfe")
    title = parse_feed(body, url=FEED_URL).entries[0].title
    assert title.startswith("संसद") and title.endswith("बजट") and "\ufffd" in title


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not a readable feed|no items"),
        (b"<rss><channel><title>x</title></channel></rss>", "no items"),
        (b"\x00\x01garbage", "not a readable feed|no items"),
        (rss(item(link="javascript:alert(1)")), "no items"),  # an item with no usable identity
    ],
)
def test_nothing_usable_is_a_feed_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, url=FEED_URL)


def test_bytes_that_look_like_a_path_are_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item(title="गोपनीय")))
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), url=FEED_URL)


def test_atom_feed_is_read() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>ताज़ा</title>'
        '<entry><title>चुनाव परिणाम</title><link href="https://khabar.example/chunav-1.html"/>'
        "<id>tag:khabar.example,2026:1</id><updated>2026-07-23T11:00:00+05:30</updated></entry></feed>"
    ).encode()
    entry = parse_feed(body, url=FEED_URL, content_type="application/atom+xml").entries[0]
    assert (entry.title, entry.guid) == ("चुनाव परिणाम", "tag:khabar.example,2026:1")
    assert entry.published == datetime(2026, 7, 23, 5, 30, tzinfo=UTC)


def test_corpus_feeds_parse_with_their_items(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / "feeds").glob("*.xml")):
        document = parse_feed(path.read_bytes(), url="https://www.example.com/rss", content_type="text/xml")
        assert len(document.entries) >= 20, path.name
        assert all(entry.key.startswith("https://") for entry in document.entries)


def test_feed_errors_name_the_feed_without_its_secrets() -> None:
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(HTML_PAGE.encode(), url="https://user:pw@khabar.example/rss?key=SECRET42", content_type="text/html")
    assert "khabar.example/rss" in str(caught.value)
    assert "SECRET42" not in str(caught.value) and "pw@" not in str(caught.value)
