"""Truncation on grapheme-cluster boundaries, with a visible marker, always within the limit."""

from __future__ import annotations

import unicodedata

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.alerts.text import (
    TRUNCATION_MARKER,
    clean_line,
    cut_runs,
    fit,
    graphemes,
    json_text,
    plain,
    truncate,
    utf8_len,
    utf16_len,
)

CONJUNCT_TITLE = "क्षत्रिय स्त्री राष्ट्रपति"


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("पुतिन", 10, "पुतिन"),
        ("", 5, ""),
        ("abcdef", 6, "abcdef"),
        ("abcdef", 4, "abc…"),
        # क्ष is three code points; a cut that would split it keeps the cluster out entirely.
        ("क्षत्रिय", 3, "…"),
        ("क्षत्रिय", 4, "क्ष…"),
        # a cut close to a space backs off to the word end.
        ("मोदी ने कहा कि चुनाव होंगे", 14, "मोदी ने कहा…"),
    ],
)
def test_truncate_cuts_between_clusters_and_marks_the_cut(text: str, max_chars: int, expected: str) -> None:
    assert truncate(text, max_chars) == expected


def test_truncate_never_leaves_a_dangling_virama_or_vowel_sign() -> None:
    for max_chars in range(1, len(CONJUNCT_TITLE) + 2):
        cut = truncate(CONJUNCT_TITLE, max_chars).removesuffix(TRUNCATION_MARKER)
        assert CONJUNCT_TITLE.startswith(cut)
        assert graphemes(cut) == graphemes(CONJUNCT_TITLE)[: len(graphemes(cut))]


def test_truncate_counts_utf16_units_so_emoji_count_twice() -> None:
    assert utf16_len("🙂") == 2
    assert truncate("🙂🙂🙂", 4) == "🙂…"


def test_truncate_by_bytes_counts_devanagari_as_three_bytes() -> None:
    assert truncate("पुतिन", 10, measure=utf8_len) == "पु…"


def test_truncate_refuses_a_limit_smaller_than_the_marker() -> None:
    with pytest.raises(ValueError, match="nothing fits"):
        truncate("पुतिन", 0)


def test_cut_runs_keeps_bold_runs_bold_and_appends_the_marker() -> None:
    runs = (("रूस", False), ("पुतिन", True), ("ने", False))
    assert cut_runs(runs, 4) == (("रूस", False), ("पुति", True), ("…", False))


def test_cut_runs_backs_off_to_the_end_of_a_word_when_one_is_near() -> None:
    runs = (("रूस के ", False), ("पुतिन", True), (" ने कहा", False))
    assert cut_runs(runs, 6) == (("रूस के…", False),)


def test_fit_measures_the_whole_rendering_including_escapes() -> None:
    runs = (("a&b&c&d", False),)
    rendered = fit(runs, lambda r: plain(r).replace("&", "&amp;"), len, 10)
    assert rendered == "a&amp;b…"


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  पुतिन \n\n ने\tकहा ", "पुतिन ने कहा"),
        ("red\x1b[31m alert\x07", "red [31m alert"),
        ("line\u2028break", "line break"),
        ("पहुँचे", "पहुँचे"),
        # decomposed nukta (क + ◌़) becomes the precomposed form where Unicode has one.
        ("\u0915\u093c", unicodedata.normalize("NFC", "\u0915\u093c")),
    ],
)
def test_clean_line_drops_controls_and_folds_whitespace(raw: str, cleaned: str) -> None:
    assert clean_line(raw) == cleaned


def test_json_text_keeps_devanagari_unescaped() -> None:
    assert json_text({"t": "पुतिन"}) == '{"t": "पुतिन"}'


DEVANAGARI = st.text(
    alphabet=st.characters(min_codepoint=0x0900, max_codepoint=0x097F) | st.sampled_from(" \u200c\u200d।,"),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(text=DEVANAGARI, max_chars=st.integers(min_value=1, max_value=300))
def test_truncating_random_devanagari_fits_and_never_splits_a_cluster(text: str, max_chars: int) -> None:
    cut = truncate(text, max_chars)
    assert utf16_len(cut) <= max_chars
    kept = cut.removesuffix(TRUNCATION_MARKER) if cut != text else cut
    assert text.startswith(kept)
    clusters = graphemes(text)
    assert graphemes(kept) == clusters[: len(graphemes(kept))]
    assert cut == text or cut.endswith(TRUNCATION_MARKER)


@settings(max_examples=200, deadline=None)
@given(text=DEVANAGARI, max_bytes=st.integers(min_value=3, max_value=600))
def test_truncating_random_devanagari_by_bytes_fits(text: str, max_bytes: int) -> None:
    cut = truncate(text, max_bytes, measure=utf8_len)
    assert utf8_len(cut) <= max_bytes
    assert regex.fullmatch(r"\X*", cut)
