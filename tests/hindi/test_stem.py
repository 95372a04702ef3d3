"""The light stemmer: all forms of a noun or adjective share a stem, short words keep theirs."""

from __future__ import annotations

import pytest

from worker.hindi.normalize import key
from worker.hindi.stem import stem, vocative_stem

STEMS = [
    ("प्रतिबंधों", "प्रतिबंध"),
    ("प्रतिबंध", "प्रतिबंध"),
    ("समझौते", "समझौत"),
    ("समझौता", "समझौत"),
    ("समझौतों", "समझौत"),
    ("चुनावी", "चुनाव"),
    ("चुनावों", "चुनाव"),
    ("वार्ताओं", "वार्त"),
    ("वार्ताएं", "वार्त"),
    ("वार्ताएँ", "वार्त"),
    ("वार्ता", "वार्त"),
    ("नीतियों", "नीत"),
    ("नीतियां", "नीत"),
    ("नीति", "नीत"),
    ("रैलियों", "रैल"),
    ("रैली", "रैल"),
    ("लड़ाई", "लडा"),
    ("लड़ाइयों", "लडा"),
    ("साधुओं", "साध"),
    ("बातें", "बात"),
    ("सेनाओं", "सेन"),
    ("नेताओं", "नेत"),
    ("नेता", "नेत"),
    # short words keep at least two letters
    ("की", "की"),
    ("ने", "ने"),
    ("दो", "दो"),
    ("नई", "नई"),
    # other scripts and suffix-free words are untouched
    ("sanctions", "sanctions"),
    ("भारत", "भारत"),
    ("2024", "2024"),
]


@pytest.mark.parametrize(("word", "wanted"), STEMS)
def test_stem_strips_the_longest_noun_or_adjective_suffix(word: str, wanted: str) -> None:
    assert stem(key(word)) == key(wanted)


def test_verb_endings_of_the_original_list_are_not_stripped() -> None:
    assert stem(key("नेता")) != key("ने")
    assert stem(key("करता")) == key("करत")


@pytest.mark.parametrize("loanword", ["मास्को", "वीडियो", "मेट्रो", "रेडियो"])
def test_a_loanword_ending_in_o_keeps_its_ending(loanword: str) -> None:
    assert stem(key(loanword)) == key(loanword)


def test_an_o_form_is_read_apart_from_the_other_endings() -> None:
    assert vocative_stem(key("कोरोनो")) == key("कोरोन")
    assert vocative_stem(key("को")) is None  # too short to be a stem with an ending
    assert vocative_stem(key("मास्क")) is None
