"""Property: every span the matcher reports is the original text of a mention that normalizes to a matched name
(for a leader, possibly with the honorific जी written onto it)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from worker.config.models import WatchlistConfig
from worker.hindi.fuzzy import fuzzy_key
from worker.hindi.normalize import key
from worker.match import Matcher
from worker.match.compile import HONORIFIC
from worker.match.views import STRIPPED_MARK, stem_form

ENTITIES = [
    {"id": "putin", "kind": "leader", "names": ["व्लादिमीर पुतिन", "पुतिन", "Putin"]},
    {"id": "trump", "kind": "leader", "names": ["डोनाल्ड ट्रंप", "ट्रंप"]},
    {"id": "kim", "kind": "leader", "names": ["किम जोंग उन"], "short_names": ["किम"], "exclude": ["किम जोंग इल"]},
    {"id": "zelensky", "kind": "leader", "fuzzy": True, "names": ["ज़ेलेंस्की", "बाइडन"]},
    {"id": "sanctions", "kind": "topic", "names": ["प्रतिबंध", "परमाणु समझौता"]},
]
MATCHER = Matcher.from_watchlists([WatchlistConfig(name="w", channels=["c"], entities=ENTITIES)])  # type: ignore[arg-type]
CONFIGURED = {entity["id"]: [*entity["names"], *entity.get("short_names", [])] for entity in ENTITIES}

WORDS = [
    "पुतिन", "पुति\u200dन", "व्लादिमीर", "Putin", "PUTIN", "ट्रम्प", "ट्रं\u200cप", "ट्रंपेट", "डोनाल्ड", "किम", "जोंग",
    "उन", "इल", "ज़ेलेंस्की", "ज\u093cेलेन्स्की", "जेलेन्\u200dसकी", "बिडेन", "बाइडेन", "प्रतिबंधों", "प्रतिबन्ध",
    "परमाणु", "समझौते", "पुतिनजी", "ट्रंपजी", "ने", "से", "मोदीनगर", "बादशाह", "और", "की", "२०२४", "2024",
]  # fmt: skip
GLUE = [" ", "  ", "\u00a0", "-", "–", "। ", ", ", " (", ") ", "#", "\u200d", "\n\n", "", "’ ‘"]


def _document() -> st.SearchStrategy[str]:
    piece = st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)).map("".join)
    return st.lists(piece, max_size=25).map("".join)


def _stems(words: list[str]) -> list[str]:
    return [stem_form(word).rstrip(STRIPPED_MARK) for word in words]


def _same_word_keys(entity: str, span_key: str, name_key: str) -> bool:
    if entity == "sanctions":  # a topic: inflected, and written solid or in two words (compounds)
        span_words, name_words = span_key.split(), name_key.split()
        return _stems(span_words) == _stems(name_words) or _stems(["".join(span_words)]) == _stems(
            ["".join(name_words)]
        )
    if entity == "zelensky":
        return [fuzzy_key(w) for w in span_key.split()] == [fuzzy_key(w) for w in name_key.split()]
    return span_key in (name_key, name_key + HONORIFIC)


@settings(max_examples=300, deadline=None)
@given(_document(), _document())
@example("", "परमाणु\u200dसमझौते ")  # the joiner vanishes: परमाणुसमझौते, the topic written solid
def test_every_span_is_original_text_that_normalizes_to_a_matched_name(title: str, text: str) -> None:
    for match in MATCHER.match(title, text):
        for span in match.spans:
            source = title if span.field == "title" else text
            assert span.text == source[span.start : span.end]
            assert any(_same_word_keys(match.entity, key(span.text), key(name)) for name in match.names)
            assert set(match.names) <= set(CONFIGURED[match.entity])


@settings(max_examples=200, deadline=None)
@given(_document())
def test_spans_are_sorted_and_do_not_overlap(text: str) -> None:
    for match in MATCHER.match(text, text):
        order = [(0 if span.field == "title" else 1, span.start) for span in match.spans]
        assert order == sorted(order)
        for before, after in zip(match.spans, match.spans[1:], strict=False):
            assert before.field != after.field or before.end <= after.start
        assert match.count == len(match.spans)
