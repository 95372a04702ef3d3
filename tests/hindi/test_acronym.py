"""Acronyms by their letters: every spelling the papers use of one acronym reads as the same letters."""

from __future__ import annotations

import pytest

from worker.hindi.acronym import acronym_letters, letters, spelled_letters
from worker.hindi.normalize import key

# Spellings seen in Hindi papers (the COVID papers of March 2020, HiNER's news sentences), with their letters.
SPELLINGS = [
    ("डब्ल्यूएचओ", "WHO"),
    ("डब्लूएचओ", "WHO"),
    ("डबल्यूएचओ", "WHO"),
    ("आईसीएमआर", "ICMR"),
    ("आइसीएमआर", "ICMR"),
    ("पीटीआई", "PTI"),
    ("पीटीआइ", "PTI"),
    ("आईपीएल", "IPL"),
    ("आइपीएल", "IPL"),
    ("डीएलडब्ल्यू", "DLW"),
    ("डीएलडब्लू", "DLW"),
    ("यूएन", "UN"),
    ("युएन", "UN"),
    ("एनडीए", "NDA"),
    ("जेडीयू", "JDU"),  # जे डी यू, not ज़ेड ...
    ("एमसीएक्स", "MCX"),
    ("आरडीएक्स", "RDX"),
    ("यूएई", "UAE"),
]
NOT_ACRONYMS = ["मास्क", "एक", "कोरोना", "इसी", "आस", "डब्बा", "biden", ""]


@pytest.mark.parametrize(("written", "expected"), SPELLINGS)
def test_an_acronym_reads_as_its_letters_however_its_letter_names_are_spelled(written: str, expected: str) -> None:
    assert letters(key(written)) == expected


@pytest.mark.parametrize("word", NOT_ACRONYMS)
def test_a_word_not_made_of_letter_names_reads_as_no_letters(word: str) -> None:
    assert letters(key(word)) is None


@pytest.mark.parametrize("written", ["यू.एन.", "यू. एन.", "यू एन", "डब्ल्यू.एच.ओ.", "डब्ल्यू एच ओ", "एन.डी.ए.", "आई.सी.एम.आर."])
def test_a_name_written_letter_by_letter_reads_as_the_joined_acronym(written: str) -> None:
    assert acronym_letters(tuple(key(written).split())) == letters(key(written.replace(".", "").replace(" ", "")))


def test_a_single_letter_is_no_acronym() -> None:
    assert acronym_letters((key("बी"),)) is None


@pytest.mark.parametrize("word", ["के", "जी", "आई", "सी", "पी", "आइए", "बीबी"])
def test_an_everyday_word_in_running_text_is_read_as_letters_only_before_a_full_stop(word: str) -> None:
    assert spelled_letters(key(word), dotted=False) is None
    assert spelled_letters(key(word), dotted=True) == letters(key(word))
