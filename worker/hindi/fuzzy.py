"""A spelling-tolerant key for transliterated names (PRODUCT.md "Matching semantics" rule 6).

Foreign names reach Hindi through several hands, and the spellings drift in predictable ways: vowel length
(नेतन्याहू / नेतान्याहू, अमरीका / अमरिका), e and ai and the unwritten a (बाइडन / बाइडेन), the diphthong written as
a vowel letter (बाइडेन / बिडेन), half letters (इंगलैंड / इंग्लैंड, उजबेकिस्तान / उज्बेकिस्तान), o and au
(पिथोरागढ / पिथौरागढ), the anusvara and न (मैक्रों / मैक्रोन, क्वारंटीन / क्वारनटीन), the w-glide of an English
"qua" (क्वारंटाइन / क्वैरंटीन / कोरेंटाइन / करंटाइन), and English "ai" written ाइ or ाय (साइबर / सायबर). The key
keeps every consonant in order and only the vowel qualities that no variant drops (i, u, and the e/ai of a first
syllable), so two spellings of one name share a key while words with other consonants never do. Names with fewer
than FUZZY_MIN_CONSONANTS consonants get no fuzzy key at all: with so little to go on (मोदी, किम, केरी) a
vowel-blind key would collide with everyday words (मद, करी). Long names also meet the spellings one kept vowel away
(``vowel_edits``).
"""

from __future__ import annotations

from functools import lru_cache

from worker.hindi.chars import ANUSVARA, VIRAMA, is_consonant, is_devanagari

FUZZY_MIN_CONSONANTS = 3
_KEY_CACHE_WORDS = 200_000

# Vowel signs, after the normalizer's folds: the i and u qualities stay (length folded); a/aa/e/ai/o/au vanish,
# because English o reaches Hindi as ो, ॉ (folded to ा) or ा (मैक्रोन / मैक्रॉन).
_SIGN_KEYS = {
    "\u093f": "\u093f",  # ि
    "\u0940": "\u093f",  # ी
    "\u0941": "\u0941",  # ु
    "\u0942": "\u0941",  # ू
    "\u0943": "\u0943",  # ृ
}
# Vowel letters at the start of a word keep their quality (length folded); inside a word they are the second
# half of a diphthong (बाइडन) and become the sign of the same quality.
_INITIAL_VOWEL_KEYS = {"आ": "अ", "ई": "इ", "ऊ": "उ", "ऐ": "ए", "औ": "ओ"}
_INNER_VOWEL_KEYS = {"इ": "\u093f", "ई": "\u093f", "उ": "\u0941", "ऊ": "\u0941"}
_FINAL_VOWEL_KEYS = {"\u093e": "\u093e", "\u0947": "\u0947", "\u0948": "\u0947", "\u094b": "\u094b", "\u094c": "\u094b"}
_SH = {"ष": "श"}
# English "qua-", "swi-" reach Hindi as क्वा, क्वै, को or क (क्वारंटाइन, क्वैरंटीन, कोरेंटाइन): a व joined to the
# first consonant is a glide that some spellings write and others turn into the vowel, so it is dropped, and the
# vowel after it is not the first-syllable e/ai below (क्वै is "qua", not "ke").
_GLIDE = "व"
# English "-ai-" before a consonant is written ाइ or ाय (साइबर / सायबर, सेनेटाइजर / सेनेटायजर): a य after ा with no
# vowel of its own, before another consonant, is the same i.
_AY = "\u093e"  # ा
_Y = "य"
_NASAL_KEY = "न"  # the anusvara and न with or without a virama are one nasal (क्वारंटीन / क्वारनटीन)
# An e or ai in the first syllable is how English "a" and "e" reach Hindi (मैक्रों, मेक्रों, जेलेंस्की); no spelling
# of such a name drops it, while the everyday word with the same consonants has none (मकरों, जलसे, बदन).
_FIRST_SYLLABLE_E = {"\u0947", "\u0948"}  # े ै
_FIRST_SYLLABLE_E_KEY = "\u0947"
_EDITABLE_VOWELS = ("\u093f", "\u0941", "\u0943", _FIRST_SYLLABLE_E_KEY)  # ि ु ृ े: the qualities a key keeps


@lru_cache(maxsize=_KEY_CACHE_WORDS)
def fuzzy_key(word: str) -> str:
    """The fuzzy key of one normalized word; words without Devanagari come back unchanged."""
    if not word or not is_devanagari(word[0]):
        return word
    out = [_first_key(word[0])]
    first_syllable = is_consonant(word[0])
    rest = word[1:]
    if first_syllable and rest[:2] == VIRAMA + _GLIDE:
        rest, first_syllable = rest[2:], False  # क्वा, क्वै → क: what follows the glide is no first-syllable e
    for at, char in enumerate(rest):
        if first_syllable and not is_consonant(char) and char != VIRAMA:
            first_syllable = False
            if char in _FIRST_SYLLABLE_E:
                out.append(_FIRST_SYLLABLE_E_KEY)
                continue
        if char == _Y and rest[at - 1 : at] == _AY and is_consonant(rest[at + 1 : at + 2] or "-"):
            out.append(_SIGN_KEYS["\u0940"])
        elif is_consonant(char):
            out.append(_SH.get(char, char))
        elif char in _SIGN_KEYS:
            out.append(_SIGN_KEYS[char])
        elif char in _INNER_VOWEL_KEYS:
            out.append(_INNER_VOWEL_KEYS[char])
        elif char == ANUSVARA:
            out.append(_NASAL_KEY)
    # A vowel at the end of a word is heard clearly and kept by every spelling; dropping it would make चावला
    # (a surname) of चावल (rice) and सपना of सपने.
    out.append(_FINAL_VOWEL_KEYS.get(word[-1], ""))
    return "".join(out)


def consonants(text: str) -> int:
    """The consonant letters of ``text``; an anusvara is not one, so the count of a name is the same however its
    nasal is written."""
    return sum(1 for char in text if is_consonant(char))


def fuzzy_words(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The fuzzy key of a name's words, or None when the name is too short or has no Devanagari to vary."""
    keys = tuple(fuzzy_key(word) for word in words)
    if keys == words or consonants("".join(words)) < FUZZY_MIN_CONSONANTS:
        return None
    return keys


def vowel_edits(keys: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The keys one kept vowel away from ``keys``: an i, u, ri or e dropped, or put after a consonant, inside a word.

    Long loanwords drift by a vowel the key keeps (सैनिटाइजर / सेनेटाइजर, क्वारंटाइन / करेंटाइन); a name with
    enough consonants stays its own with one such vowel more or less, where a short one would not (परिणाम / प्रणाम).
    The vowel after a word's first letter and anything at its last are left alone: that is where everyday words of
    the same consonants differ (पंजीकरण / पूंजीकरण, प्रशस्त / प्रशासित, चावला / चावल).
    """
    edits: list[tuple[str, ...]] = []
    for index, word in enumerate(keys):
        for at in range(2, len(word) - 1):  # symmetric: a vowel dropped here is one put here in the other word
            if at < len(word) - 2 and word[at] in _EDITABLE_VOWELS and is_consonant(word[at - 1]):
                edits.append(_replaced(keys, index, word[:at] + word[at + 1 :]))
            if is_consonant(word[at - 1]) and is_consonant(word[at]):
                edits += [_replaced(keys, index, word[:at] + vowel + word[at:]) for vowel in _EDITABLE_VOWELS]
    return edits


def _replaced(keys: tuple[str, ...], index: int, word: str) -> tuple[str, ...]:
    return (*keys[:index], word, *keys[index + 1 :])


def _first_key(char: str) -> str:
    if is_consonant(char):
        return _SH.get(char, char)
    return _INITIAL_VOWEL_KEYS.get(char, char)
