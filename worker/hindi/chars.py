"""Devanagari character tables shared by the normalizer, the stemmer and the fuzzy key."""

from __future__ import annotations

VIRAMA = "\u094d"
NUKTA = "\u093c"
ANUSVARA = "\u0902"
CHANDRABINDU = "\u0901"
VISARGA = "\u0903"

# Invisible characters that publishers leave inside words (Jagran and Navbharat Times put ZWJ after a virama);
# they carry no meaning for matching. U+200B and U+2060 are zero-width too.
INVISIBLE = frozenset("\u200c\u200d\u00ad\ufeff\u200b\u2060")

# One letter for each spelling of the same sound: precomposed nukta letters fold to their base (the combining
# nukta is dropped separately), chandrabindu to anusvara, the candra (English "o"/"e") vowels to the plain ones,
# and the short e/o of South Indian transliteration to the common ones.
LETTER_FOLDS = {
    "\u0958": "\u0915",  # क़ → क
    "\u0959": "\u0916",  # ख़ → ख
    "\u095a": "\u0917",  # ग़ → ग
    "\u095b": "\u091c",  # ज़ → ज
    "\u095c": "\u0921",  # ड़ → ड
    "\u095d": "\u0922",  # ढ़ → ढ
    "\u095e": "\u092b",  # फ़ → फ
    "\u095f": "\u092f",  # य़ → य
    "\u0929": "\u0928",  # ऩ → न
    "\u0931": "\u0930",  # ऱ → र
    "\u0934": "\u0933",  # ऴ → ळ
    CHANDRABINDU: ANUSVARA,
    "\u0949": "\u093e",  # ॉ → ा   (डॉलर = डालर)
    "\u0911": "\u0906",  # ऑ → आ   (ऑस्ट्रेलिया = आस्ट्रेलिया)
    "\u0945": "\u0947",  # ॅ → े
    "\u090d": "\u090f",  # ऍ → ए
    "\u0946": "\u0947",  # ॆ → े
    "\u094a": "\u094b",  # ॊ → ो
    "\u090e": "\u090f",  # ऎ → ए
    "\u0912": "\u0913",  # ऒ → ओ
}
DIGIT_FOLDS = {chr(0x0966 + value): str(value) for value in range(10)}

# A nasal consonant + virama before a consonant of its own place of articulation is what the anusvara stands
# for (ट्रम्प = ट्रंप). Sibilants and ह take the dental or labial nasal (फ्रान्स = फ्रांस, सिन्ह = सिंह). A nasal
# before another nasal (सम्मेलन) or before य र ल व (अन्य) is a real cluster and stays.
_SIBILANTS_AND_H = "शषसह"
HOMORGANIC_NASAL = {
    "\u0919": frozenset("कखगघ"),  # ङ
    "\u091e": frozenset("चछजझ"),  # ञ
    "\u0923": frozenset("टठडढ"),  # ण
    "\u0928": frozenset("तथदध" + _SIBILANTS_AND_H),  # न
    "\u092e": frozenset("पफबभ" + _SIBILANTS_AND_H),  # म
}


def is_devanagari(char: str) -> bool:
    code = ord(char)
    return 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or 0x1CD0 <= code <= 0x1CFF


def is_consonant(char: str) -> bool:
    return "\u0915" <= char <= "\u0939" or "\u0958" <= char <= "\u095f"


def is_independent_vowel(char: str) -> bool:
    return "\u0904" <= char <= "\u0914" or char in "\u0960\u0961"
