"""Words of a normalized key with their offsets."""

from __future__ import annotations

from worker.hindi.normalize import key
from worker.hindi.tokenize import Token, tokenize


def test_tokens_carry_their_key_offsets() -> None:
    assert tokenize(key("किम जोंग-उन।")) == [Token("किम", 0, 3), Token("जोंग", 4, 8), Token("उन", 9, 11)]


def test_vowel_signs_and_virama_stay_inside_tokens() -> None:
    assert [token.text for token in tokenize(key("ट्रम्प की नीतियों"))] == ["ट्रंप", "की", "नीतियों"]


def test_no_text_has_no_tokens() -> None:
    assert tokenize(key(" ।— ")) == []
