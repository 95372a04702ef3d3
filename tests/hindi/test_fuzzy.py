"""The fuzzy name key: spellings of one transliterated name share it, other words do not."""

from __future__ import annotations

import pytest

from worker.hindi.fuzzy import fuzzy_key, fuzzy_words, vowel_edits
from worker.hindi.normalize import key

SAME = [
    ("बाइडन", "बाइडेन"),
    ("बाइडन", "बिडेन"),
    ("बाइडन", "बाईडन"),
    ("नेतन्याहू", "नेतान्याहू"),
    ("नेतन्याहू", "नेतन्याहु"),
    ("अमरीका", "अमरिका"),
    ("इंगलैंड", "इंग्लैंड"),
    ("उजबेकिस्तान", "उज्बेकिस्तान"),
    ("पिथोरागढ", "पिथौरागढ़"),
    ("मैक्रों", "मैक्रोन"),
    ("मैक्रों", "मैक्रॉन"),
    ("ज़ेलेंस्की", "जेलेन्सकी"),
    ("ज़रदारी", "जरदारि"),
    ("मैक्रों", "मेक्रों"),
    ("ज़ेलेंस्की", "जेलैंस्की"),
    # loanwords: the qua-glide and the nasal (spellings of the COVID papers, March 2020)
    ("क्वारंटाइन", "क्वैरंटीन"),
    ("क्वारंटाइन", "कोरेंटाइन"),
    ("क्वारंटाइन", "कोरेनटाइन"),
    ("क्वारंटाइन", "कोरंटाइन"),
    ("क्वारंटाइन", "क्वारनटीन"),
    ("क्वारंटाइन", "क्वॉरेंटाइन"),
    ("वेंटिलेटर", "वेन्टिलेटर"),
    ("सेनेटाइजर", "सेनेटायजर"),  # English "ai" before a consonant: ाइ or ाय
    ("साइबर", "सायबर"),
]
DIFFERENT = [
    ("पुतिन", "पतन"),
    ("बाइडन", "बदन"),
    ("बाइडन", "बिंदु"),
    ("ज़ेलेंस्की", "जलसे"),
    ("ज़रदारी", "जोरदार"),
    ("नेतन्याहू", "नेता"),
    ("मैक्रों", "मकर"),
    ("मैक्रों", "मकरों"),  # the e/ai of a first syllable is never dropped by a spelling of the name
    ("नेतन्याहू", "नतन्याहू"),
    ("चावला", "चावल"),
    ("सपना", "सपने"),
    ("कसाब", "कस्बा"),
    ("प्रणब", "प्रणव"),
    ("प्रश्न", "परेशान"),  # the e of a first syllable still counts where no glide precedes it
    ("क्वेटा", "किटा"),
    ("संदेश", "स्वदेश"),
    ("राय", "राइ"),  # a य at the end of a word is a consonant, not the English "ai"
    ("नायक", "नाक"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spelling_variants_of_a_name_share_the_fuzzy_key(one: str, other: str) -> None:
    assert fuzzy_key(key(one)) == fuzzy_key(key(other))


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_words_with_other_consonants_keep_apart(one: str, other: str) -> None:
    assert fuzzy_key(key(one)) != fuzzy_key(key(other))


@pytest.mark.parametrize("name", ["मोदी", "किम", "केरी", "शाह", "चंडी"])  # an anusvara is no consonant
def test_names_with_fewer_than_three_consonants_get_no_fuzzy_key(name: str) -> None:
    assert fuzzy_words((key(name),)) is None


def test_latin_names_get_no_fuzzy_key() -> None:
    assert fuzzy_words(("biden",)) is None


def test_a_long_name_gets_a_fuzzy_key_per_word() -> None:
    assert fuzzy_words(tuple(key("जो बाइडेन").split())) == ("जो", fuzzy_key(key("बाइडन")))


def _one_vowel_apart(one: str, other: str) -> bool:
    keys = (fuzzy_key(key(one)),)
    return (fuzzy_key(key(other)),) in vowel_edits(keys)


# Spellings of one long loanword that differ by a vowel the key keeps (the COVID papers, March 2020).
ONE_VOWEL_APART = [
    ("सैनिटाइजर", "सेनेटाइजर"),  # i dropped
    ("सैनिटाइजर", "सैनेटाइजर"),
    ("सेनेटाइजर", "सैनिटाइजर"),  # i put in
    ("सैनिटाइजर", "सेनेटायजर"),
    ("क्वारंटाइन", "करेंटाइन"),  # e put in after the second consonant
    ("बायोमेट्रिक", "बायोमीट्रिक"),
]
# Words that the same consonants and one vowel more or less would join, where the vowel is what tells them apart.
NOT_ONE_VOWEL_APART = [
    ("पंजीकरण", "पूंजीकरण"),  # the vowel after the first letter
    ("मदनपुर", "मिदनापुर"),
    ("प्रशस्त", "प्रशासित"),  # the vowel before the last letter
    ("प्रशासित", "प्रशस्त"),
    ("चावल", "चावला"),  # the final vowel
    ("सैनिटाइजर", "सैनिटाइजर"),  # itself is no edit
    ("सैनिटाइजर", "सेनटजर"),  # two vowels away
]


@pytest.mark.parametrize(("one", "other"), ONE_VOWEL_APART)
def test_long_spellings_one_kept_vowel_apart_are_edits_of_each_other(one: str, other: str) -> None:
    assert _one_vowel_apart(one, other)
    assert _one_vowel_apart(other, one)  # the edits are symmetric: a dropped vowel is one put in the other way


@pytest.mark.parametrize(("one", "other"), NOT_ONE_VOWEL_APART)
def test_the_vowels_that_tell_words_apart_are_not_edited(one: str, other: str) -> None:
    assert not _one_vowel_apart(one, other)


def test_a_vowel_edit_changes_one_word_of_a_name() -> None:
    keys = tuple(fuzzy_key(word) for word in key("सैनिटाइजर मशीन").split())
    assert all(sum(a != b for a, b in zip(edit, keys, strict=True)) == 1 for edit in vowel_edits(keys))
