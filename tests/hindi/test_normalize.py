"""The normalization key, one table row per rule of PRODUCT.md "Matching semantics" rule 1, and its offset map."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from worker.hindi.normalize import key, normalize

EQUAL_KEYS = [
    # rule, one spelling, another spelling
    ("nfc", "e\u0301cole", "\u00e9cole"),
    ("nukta precomposed = combining", "\u095bरदारी", "ज\u093cरदारी"),
    ("nukta folded away", "ज़रदारी", "जरदारी"),
    ("nukta on ड़", "द्रविड़", "द्रविड"),
    ("nukta on फ़", "फ़ौज", "फौज"),
    ("legacy-font ऩ", "बढऩे", "बढने"),
    ("chandrabindu = anusvara", "पहुँचे", "पहुंचे"),
    ("labial nasal", "ट्रम्प", "ट्रंप"),
    ("labial and dental nasals in one word", "सम्बन्ध", "संबंध"),
    ("dental nasal before a sibilant", "जेलेन्स्की", "जेलेंस्की"),
    ("dental nasal before स at the end", "फ्रान्स", "फ्रांस"),
    ("dental nasal", "नरेन्द्र", "नरेंद्र"),
    ("dental nasal before ह", "सिन्ह", "सिंह"),
    ("velar nasal", "गङ्गा", "गंगा"),
    ("palatal nasal", "चञ्चल", "चंचल"),
    ("retroflex nasal", "उत्तराखण्ड", "उत्तराखंड"),
    ("labial nasal in a city", "मुम्बई", "मुंबई"),
    ("nasal rule across a joiner", "ट्रम्\u200dप", "ट्रंप"),
    ("candra o", "डॉलर", "डालर"),
    ("candra o letter", "ऑस्ट्रेलिया", "आस्ट्रेलिया"),
    ("candra e", "बॅट", "बेट"),
    ("ZWJ removed", "पुति\u200dन", "पुतिन"),
    ("ZWJ before a vowel sign", "ट्रेन\u200dिंग", "ट्रेनिंग"),
    ("ZWNJ removed", "शी जिन\u200cपिंग", "शी जिनपिंग"),
    ("soft hyphen removed", "पु\u00adतिन", "पुतिन"),
    ("BOM removed", "\ufeffपुतिन", "पुतिन"),
    ("zero-width space removed", "पु\u200bतिन", "पुतिन"),
    ("NBSP is a space", "व्लादिमीर\u00a0पुतिन", "व्लादिमीर पुतिन"),
    ("narrow NBSP is a space", "शी\u202fजिनपिंग", "शी जिनपिंग"),
    ("runs of spaces are one", "डोनाल्ड  \t\n ट्रंप", "डोनाल्ड ट्रंप"),
    ("hyphen is a space", "किम जोंग-उन", "किम जोंग उन"),
    ("en dash is a space", "पुतिन–किम", "पुतिन किम"),
    ("em dash is a space", "रूस—यूक्रेन", "रूस यूक्रेन"),
    ("danda is a boundary", "मोदी।", "मोदी"),
    ("double danda is a boundary", "मोदी॥", "मोदी"),
    ("quotes are boundaries", "‘पुतिन’", "पुतिन"),
    ("brackets are boundaries", "(पुतिन)", "पुतिन"),
    ("hashtag is a boundary", "#मोदी", "मोदी"),
    ("underscore is a boundary", "मोदी_सरकार", "मोदी सरकार"),
    ("script change is a boundary", "Putinसे", "putin से"),
    ("script change after brackets", "(Vladimir Putin)से", "vladimir putin से"),
    ("digits change script too", "2024चुनाव", "2024 चुनाव"),
    ("Devanagari digits", "कोविड-१९", "कोविड 19"),
    ("word-final visarga is a colon", "यूक्रेनः", "यूक्रेन"),
    ("Latin case-folded", "PUTIN", "putin"),
    ("Latin full case folding", "STRASSE", "straße"),
    ("surrounding space trimmed", "  पुतिन  ", "पुतिन"),
]

DIFFERENT_KEYS = [
    ("nasal before its own nasal stays", "सम्मेलन", "संमेलन"),
    ("nasal before य stays", "अन्य", "अंय"),
    ("nasal before र stays", "अन्र", "अंर"),
    ("visarga inside a word stays", "दुःख", "दुख"),
    ("vowel length is not folded", "अमरीका", "अमरिका"),
    ("a virama is not a joiner", "पुत्िन", "पुतिन"),
    ("a word is not split by a vowel sign", "मोदीनगर", "मोदी नगर"),
]


@pytest.mark.parametrize(("rule", "one", "other"), EQUAL_KEYS, ids=[row[0] for row in EQUAL_KEYS])
def test_spellings_share_one_key(rule: str, one: str, other: str) -> None:
    assert key(one) == key(other)


@pytest.mark.parametrize(("rule", "one", "other"), DIFFERENT_KEYS, ids=[row[0] for row in DIFFERENT_KEYS])
def test_different_words_keep_different_keys(rule: str, one: str, other: str) -> None:
    assert key(one) != key(other)


def test_vowel_signs_and_virama_stay_inside_the_word() -> None:
    assert key("ट्रंप की नीतियों") == "ट्रंप की नीतियों"


def test_the_key_of_empty_or_punctuation_only_text_is_empty() -> None:
    assert key("") == ""
    assert key(" ।,—#\u200d ") == ""


SPAN_ROWS = [
    # original, key range to map back, the original characters behind it
    ("व्लादिमीर\u00a0पुति\u200dन ने", "व्लादिमीर पुतिन", "व्लादिमीर\u00a0पुति\u200dन"),
    ("राहुल द्रविड़ ने", "राहुल द्रविड", "राहुल द्रविड़"),
    ("ट्रम्प।", "ट्रंप", "ट्रम्प"),
    ("(Vladimir Putin)से", "putin", "Putin"),
    ("यूक्रेनः किसकी", "यूक्रेन", "यूक्रेन"),
    ("कोविड-१९ के", "कोविड 19", "कोविड-१९"),
]


@pytest.mark.parametrize(("original", "wanted", "behind"), SPAN_ROWS)
def test_key_ranges_map_back_to_the_exact_original_characters(original: str, wanted: str, behind: str) -> None:
    normalized = normalize(original)
    start = normalized.text.index(wanted)
    begin, end = normalized.original_span(start, start + len(wanted))
    assert original[begin:end] == behind


DEVANAGARI_PIECES = [chr(code) for code in range(0x0900, 0x0980)]
NOISE = ["\u200d", "\u200c", "\u00ad", "\ufeff", "\u00a0", " ", "-", "।", "(", ")", "#", "A", "b", "ß", "\u0301"]


@given(st.text(alphabet=st.sampled_from(DEVANAGARI_PIECES + NOISE), max_size=40))
def test_every_key_word_maps_back_to_original_text_with_the_same_key(text: str) -> None:
    normalized = normalize(text)
    assert "  " not in normalized.text and normalized.text == normalized.text.strip()
    start = 0
    for word in normalized.text.split(" ") if normalized.text else []:
        begin, end = normalized.original_span(start, start + len(word))
        assert key(text[begin:end]) == word
        start += len(word) + 1


@given(st.text(max_size=40))
def test_any_text_maps_back_word_for_word(text: str) -> None:
    normalized = normalize(text)
    start = 0
    for word in normalized.text.split(" ") if normalized.text else []:
        begin, end = normalized.original_span(start, start + len(word))
        assert key(text[begin:end]) == word
        start += len(word) + 1


# Without combining marks after Latin letters: case folding ß to ss, then NFC composing s with a following mark,
# makes a key that changes once more, and no real text does that.
@given(st.text(alphabet=st.sampled_from(DEVANAGARI_PIECES + NOISE[:-1]), max_size=40))
def test_normalizing_a_key_again_changes_nothing(text: str) -> None:
    once = key(text)
    assert key(once) == once


@given(st.text(alphabet=st.sampled_from(DEVANAGARI_PIECES + NOISE), max_size=60) | st.text(max_size=60))
@example("यूक्रेनः में सम्बन्ध, पढ़ें\u200d आज: ")  # visarga, nasal cluster, nukta, joiner
def test_the_key_alone_is_the_text_of_the_full_normalization(text: str) -> None:
    assert key(text) == normalize(text).text
