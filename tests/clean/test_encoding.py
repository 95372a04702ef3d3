"""Decoding page bytes: Devanagari must never turn into mojibake, whatever the labels claim."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from worker.clean import decode_html

HINDI = "रूस के राष्ट्रपति व्लादिमीर पुतिन ने ज़ोर देकर कहा"
PAGE = f"<html><head><title>{HINDI}</title></head><body><p>{HINDI}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PAGE.encode(), "text/html; charset=utf-8"),
        (PAGE.encode(), "text/html; charset=ISO-8859-1"),
        (PAGE.encode(), "text/html; charset=windows-1252"),
        (PAGE.encode(), None),
        (PAGE.replace("<head>", "<head><meta charset='iso-8859-1'>").encode(), None),
        (codecs.BOM_UTF8 + PAGE.encode(), "text/html; charset=iso-8859-1"),
        (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), None),
        (PAGE.encode("utf-16"), "text/html; charset=utf-16"),
    ],
)
def test_hindi_page_decodes_whatever_the_label_says(body: bytes, content_type: str | None) -> None:
    assert unicodedata.normalize("NFC", HINDI) in decode_html(body, content_type)


def test_utf8_page_cut_inside_a_character_still_decodes_as_utf8() -> None:
    body = PAGE.encode()
    cut = body[: body.index("पुतिन".encode()) + 2]
    assert "व्लादिमीर" in decode_html(cut, "text/html; charset=iso-8859-1")


def test_a_few_stray_bytes_do_not_make_a_utf8_page_latin() -> None:
    body = PAGE.encode().replace(b"<p>", b"<p>\xff")
    assert "पुतिन" in decode_html(body, None)


def test_legacy_8bit_page_uses_its_declared_charset() -> None:
    text = "<html><head><meta charset='windows-1251'></head><body>Новости дня</body></html>"
    assert "Новости дня" in decode_html(text.encode("windows-1251"), None)


def test_decoded_text_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "क़ानून और ज़मीन")
    assert decode_html(decomposed.encode(), None) == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize("junk", ["\x00\x0b\x1b\x85", "\ud800"])
def test_control_characters_and_lone_surrogates_never_reach_the_text(junk: str) -> None:
    from worker.clean import clean_html

    story = f"<p>{HINDI} और बातचीत{junk} जारी रहेगी।</p>" * 5
    body = f"<html><head><title>पुतिन की वार्ता</title></head><body>{story}</body></html>"
    for source in (body, body.encode("utf-8", "surrogatepass")):
        text = clean_html(source, url="https://x.example.in/a").text
        assert "बातचीत जारी रहेगी" in text
        assert not [char for char in text if char in "\x00\x0b\x1b\x85\ud800\ufffd"]
