"""What counts as story text: datelines, agency tags, read-also and short lines go; spellings fold together."""

from __future__ import annotations

import pytest

from worker.stories.text import SHINGLES_MAX, fingerprint, shingle_hashes, story_words, title_hash

LINE = "राज्य सरकार ने बाढ़ से प्रभावित जिलों में राहत शिविर खोलने का फैसला किया है।"


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("नई दिल्ली, 12 मार्च (भाषा) " + LINE, LINE),
        ("पटना, 5 जून : " + LINE, LINE),
        ("पटना, एजेंसी। " + LINE + " " + LINE, LINE + " " + LINE),
        (LINE + " (भाषा)", LINE),
        (LINE + " IANS", LINE),
        (LINE + "\nयह भी पढ़ें: सरकार ने राहत पैकेज का एलान किया", LINE),
        (LINE + "\nये भी पढ़ें- बाढ़ में फंसे लोग", LINE),
        ("नई दिल्ली\n" + LINE, LINE),
        (LINE.replace("फैसला", "फ़ैसला").replace("ढ़", "ढ\u093c"), LINE),
        (LINE.replace("शिविर", "शि\u200dविर"), LINE),
    ],
)
def test_boilerplate_and_spelling_do_not_change_the_story_words(text: str, same_as: str) -> None:
    assert story_words(text) == story_words(same_as)


def test_a_copy_with_a_dateline_and_an_agency_tag_has_the_same_body_hash() -> None:
    plain = fingerprint("शीर्षक", LINE * 5)
    tagged = fingerprint("दूसरा शीर्षक (भाषा)", "लखनऊ, 3 मई (भाषा) " + LINE * 5)
    assert tagged.body_hash == plain.body_hash != 0


def test_an_empty_body_has_no_story_text() -> None:
    assert fingerprint("कुछ भी", "").body_hash == 0
    assert fingerprint("कुछ भी", "").shingles == frozenset()


def test_a_short_headline_identifies_no_story_but_a_longer_one_does() -> None:
    assert title_hash("लाइव अपडेट") == 0
    assert title_hash("बिहार में बाढ़ से दस लोगों की मौत") == title_hash("बिहार में बाढ़ से दस लोगों की मौत (भाषा)") != 0


def test_shingles_are_capped_however_long_the_text() -> None:
    words = [f"शब्द{n}" for n in range(10_000)]
    assert len(shingle_hashes(words)) == SHINGLES_MAX
