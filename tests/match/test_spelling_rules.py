"""The spelling rules beyond fuzzy (MatchRules): acronyms by their letters, topic compounds, the -ो ending."""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.config.models import WatchlistConfig
from worker.hindi.acronym import spelled_letters
from worker.hindi.normalize import normalize
from worker.match import Matcher
from worker.match.compile import MatchRules
from worker.match.fields import read_field
from worker.match.views import ACRONYM_SEPARATOR


def _spans(kind: str, name: str, text: str, fuzzy: bool | None = None, rules: MatchRules | None = None) -> list[str]:
    entity = {"id": "e", "kind": kind, "names": [name], "fuzzy": fuzzy}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    matcher = Matcher.from_watchlists([watchlist], rules=rules or MatchRules())
    return [span.text for match in matcher.match("", text) for span in match.spans]


ACRONYM_MENTIONS = [
    ("डब्ल्यूएचओ", "डब्लूएचओ ने महामारी घोषित की", "डब्लूएचओ"),
    ("डब्ल्यूएचओ", "डब्ल्यू.एच.ओ. के महानिदेशक ने कहा", "डब्ल्यू.एच.ओ"),
    ("डब्ल्यूएचओ", "डब्ल्यू एच ओ की टीम आई", "डब्ल्यू एच ओ"),
    ("यूएन", "यू.एन. महासचिव ने अपील की", "यू.एन"),
    ("यूएन", "यू. एन. में प्रस्ताव", "यू. एन"),
    ("यू.एन.", "यूएन के दल ने", "यूएन"),
    ("एनडीए", "एन.डी.ए. की बैठक हुई", "एन.डी.ए"),
    ("आईसीएमआर", "आइसीएमआर ने जांच बढ़ाई", "आइसीएमआर"),
    ("आईसीएमआर", "आई.सी.एम.आर. ने कहा", "आई.सी.एम.आर"),
    ("पीटीआई", "पीटीआइ के अनुसार", "पीटीआइ"),
]


@pytest.mark.parametrize(("name", "text", "span"), ACRONYM_MENTIONS)
@pytest.mark.parametrize(("kind", "fuzzy"), [("topic", None), ("topic", False), ("leader", False)])
def test_an_acronym_matches_every_spelling_of_its_letters_always(
    name: str, text: str, span: str, kind: str, fuzzy: bool | None
) -> None:
    assert _spans(kind, name, text, fuzzy) == [span]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("जीके", "मोदी जी के साथ बैठक हुई"),  # जी and के alone are words, not letters
        ("ईसी", "इसी बीच बारिश हुई"),
        ("आईएस", "वह घर आई सब खुश थे"),
        ("यूएन", "यूएनडीपी की रिपोर्ट"),  # another acronym that begins with the same letters
        ("डब्ल्यूएचओ", "डब्ल्यू एच की बात"),
    ],
)
def test_other_words_and_longer_acronyms_do_not_spell_an_acronym(name: str, text: str) -> None:
    assert _spans("topic", name, text) == []


@pytest.mark.parametrize(("query", "found"), [("डब्ल्यूएचओ AND कोरोना", True), ('"डब्ल्यूएचओ" AND कोरोना', False)])
def test_an_acronym_in_a_query_is_read_by_its_letters_unless_quoted(query: str, found: bool) -> None:
    entity = {"id": "q", "kind": "topic", "query": query}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    assert bool(Matcher.from_watchlists([watchlist]).match("", "डब्लूएचओ ने कोरोना पर चेताया")) == found


@pytest.mark.parametrize(
    ("kind", "name", "text", "spans"),
    [
        ("leader", "पीएम मोदी", "पी.एम. मोदी ने कहा", ["पी.एम. मोदी"]),
        ("leader", "सीएम योगी", "सी. एम. योगी पहुंचे", ["सी. एम. योगी"]),
        ("topic", "यूपी सरकार", "यू.पी. सरकार का फैसला", ["यू.पी. सरकार"]),
        ("leader", "पीएम मोदी जी", "पी.एम. मोदी जी ने कहा", ["पी.एम. मोदी जी"]),  # जी stays a word
        ("leader", "पीएम मोदी", "पी एम मोदी ने कहा", []),  # पी without its full stop is the word "drank"
        ("topic", "यूपी सरकार", "यू.पी. में सरकार बनी", []),
        ("leader", "आइए मोदी", "आई.ए. मोदी", []),  # a name whose only letters are an everyday word is no acronym
    ],
)
def test_an_acronym_beside_other_words_of_a_name_is_read_by_its_letters(
    kind: str, name: str, text: str, spans: list[str]
) -> None:
    assert _spans(kind, name, text) == spans


def test_acronyms_can_be_left_out_of_the_rules() -> None:
    assert _spans("topic", "यूएन", "यू.एन. ने कहा", rules=MatchRules(acronyms=False)) == []


@pytest.mark.parametrize(
    ("name", "text", "span"),
    [
        ("कोरोना", "देश में कोरोनावायरस के मामले", "कोरोनावायरस"),
        ("कोरोना", "कोरोनावायरसों की किस्में", "कोरोनावायरसों"),
        ("कोरोना वायरस", "देश में कोरोनावायरस के मामले", "कोरोनावायरस"),
        ("लॉकडाउन", "शहर में लॉक डाउन लगा", "लॉक डाउन"),
        ("लॉक डाउन", "शहर में लॉकडाउन लगा", "लॉकडाउन"),
        ("कोरोना", "कोरोनो वायरस से बचें", "कोरोनो"),  # the -ो form of a word in -ा
    ],
)
def test_a_topic_matches_written_solid_or_in_two_words(name: str, text: str, span: str) -> None:
    assert _spans("topic", name, text) == [span]


@pytest.mark.parametrize(
    ("kind", "name", "text"),
    [
        ("topic", "कोरोना", "उसे को रोना आ गया"),  # a half of one consonant is a postposition
        ("topic", "मास्क", "मास्को में बर्फ गिरी"),  # Moscow is no inflection of mask
        ("leader", "मोदी", "मोदीनगर में रैली"),
        ("leader", "पुतिन", "पुतिनवादी विचार"),
        ("topic", "कोरोना", "कोरोनाकाल में"),  # only a listed compound tail joins
    ],
)
def test_hard_negatives_stay_unmatched(kind: str, name: str, text: str) -> None:
    assert _spans(kind, name, text) == []


@pytest.mark.parametrize(
    ("name", "text", "span"),
    [
        ("सैनिटाइजर", "अस्पताल में सेनेटाइजर बांटे गए", "सेनेटाइजर"),  # one vowel away
        ("सैनिटाइजर", "सेनेटायजर की कालाबाजारी", "सेनेटायजर"),
        ("क्वारंटाइन", "उन्हें करेंटाइन किया गया", "करेंटाइन"),
        ("वेंटिलेटर", "वेंटीलेटरों की कमी है", "वेंटीलेटरों"),  # a variant inflects as the name does
        ("वेंटिलेटर", "नए वेंटिलेटर्स आए", "वेंटिलेटर्स"),  # the English plural
        ("वैक्सीन", "वैक्सिनों का परीक्षण", "वैक्सिनों"),
        ("सैनिटाइजर", "सेनेटाइजरों का छिड़काव", "सेनेटाइजरों"),
    ],
)
def test_a_long_topic_matches_its_variants_one_vowel_away_and_inflected(name: str, text: str, span: str) -> None:
    assert _spans("topic", name, text) == [span]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("पंजीकरण", "पूंजीकरण बढ़ा"),  # the vowel after the first letter is no variant
        ("प्रशासित", "मार्ग प्रशस्त हुआ"),  # nor the vowel before the last
        ("परिणाम", "सबको प्रणाम"),  # 4 consonants: too short for vowel edits
        ("मास्क", "मास्को में बर्फ गिरी"),
    ],
)
def test_vowel_edits_and_variant_endings_leave_other_words(name: str, text: str) -> None:
    assert _spans("topic", name, text, fuzzy=True) == []


def test_vowel_edits_can_be_left_out_of_the_rules() -> None:
    rules = MatchRules(vowel_edit_min_consonants=None)
    assert _spans("topic", "सैनिटाइजर", "सेनेटाइजर बांटे", rules=rules) == []


def test_the_plural_of_a_topic_still_matches_beside_a_loanword_in_o() -> None:
    assert _spans("topic", "मास्क", "मास्को में मास्कों की कमी") == ["मास्कों"]


def test_compounds_can_be_left_out_of_the_rules() -> None:
    assert _spans("topic", "कोरोना", "कोरोनावायरस के मामले", rules=MatchRules(compounds=False)) == []


def test_a_leader_is_not_split_or_joined() -> None:
    assert _spans("leader", "नेतन्याहू", "नेतन् याहू ने कहा") == []


def _acronym_view_piece_by_piece(text: str) -> list[str]:
    field = read_field("text", text, stems=False, fuzzy=False, acronyms=True)
    views = [view.text for view in field.views if view.text.startswith(ACRONYM_SEPARATOR)]
    return views[0].strip(ACRONYM_SEPARATOR).split(ACRONYM_SEPARATOR) if views else field.words()


def _acronym_view_word_by_word(text: str) -> list[str]:
    normalized = normalize(text)
    words = normalized.text.split(" ") if normalized.text else []
    read, at = [], 0
    for word in words:
        end = normalized.ends[at + len(word) - 1]
        read.append(spelled_letters(word, dotted=normalized.original[end : end + 1] == ".") or word)
        at += len(word) + 1
    return read


def test_the_acronym_view_read_piece_by_piece_is_the_word_by_word_rule(corpus_dir: Path) -> None:
    lines = [line for path in sorted((corpus_dir / "texts").rglob("*.txt")) for line in path.read_text().splitlines()]
    lines += ["डब्ल्यू एच ओ और यूएन के बीच", "मोदी जी के साथ पीएम", "आई.सी.एम.आर. ने", "आई. सी. के", "ए बी सी डी"]
    for line in lines:
        assert _acronym_view_piece_by_piece(line) == _acronym_view_word_by_word(line), line
