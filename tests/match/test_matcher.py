"""The Matcher's contract with the rest of khabardar: shapes, order, counts, and what it refuses at compile time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from worker.config.models import WatchlistConfig
from worker.errors import ConfigError
from worker.match import EntityMatch, Matcher, Span, explain


def _matcher(*entities: dict[str, Any], name: str = "desk") -> Matcher:
    return Matcher.from_watchlists([WatchlistConfig(name=name, channels=["c"], entities=list(entities))])  # type: ignore[arg-type]


PUTIN = {"id": "putin", "kind": "leader", "names": ["व्लादिमीर पुतिन", "पुतिन", "Putin"]}
SANCTIONS = {"id": "sanctions", "kind": "topic", "names": ["प्रतिबंध"]}


def test_match_json_has_exactly_the_product_fields() -> None:
    [found] = _matcher(PUTIN).match("पुतिन का बयान", "")
    assert found.to_json() == {
        "watchlist": "desk",
        "entity": "putin",
        "kind": "leader",
        "count": 1,
        "spans": [{"field": "title", "start": 0, "end": 5, "text": "पुतिन"}],
    }


def test_an_entity_without_a_mention_produces_no_match() -> None:
    assert _matcher(PUTIN, SANCTIONS).match("मौसम", "आज बारिश होगी।") == []


def test_matches_follow_config_order_and_spans_put_title_first() -> None:
    found = _matcher(SANCTIONS, PUTIN).match("पुतिन पर प्रतिबंध", "प्रतिबंधों से पहले पुतिन ने कहा।")
    assert [m.entity for m in found] == ["sanctions", "putin"]
    assert [(s.field, s.text) for s in found[1].spans] == [("title", "पुतिन"), ("text", "पुतिन")]


def test_names_are_reported_in_first_seen_order_once_each() -> None:
    [found] = _matcher(PUTIN).match("", "Putin ने कहा, व्लादिमीर पुतिन ने दोहराया, पुतिन और Putin।")
    assert found.names == ("Putin", "व्लादिमीर पुतिन", "पुतिन")
    assert found.count == 4


def test_span_text_is_the_original_slice() -> None:
    text = "रूस के राष्ट्रपति व्लादिमीर\u00a0पुति\u200dन ने कहा।"
    [found] = _matcher(PUTIN).match("", text)
    span = found.spans[0]
    assert span == Span("text", span.start, span.end, text[span.start : span.end])
    assert span.text == "व्लादिमीर\u00a0पुति\u200dन"


def test_the_same_name_in_two_watchlists_matches_in_both() -> None:
    lists = [
        WatchlistConfig(name=name, channels=["c"], entities=[PUTIN])  # type: ignore[list-item]
        for name in ("world", "russia")
    ]
    found = Matcher.from_watchlists(lists).match("पुतिन", "")
    assert [(m.watchlist, m.entity) for m in found] == [("world", "putin"), ("russia", "putin")]


def test_near_does_not_pair_a_title_word_with_a_text_word() -> None:
    near = {"id": "meet", "kind": "topic", "query": "पुतिन NEAR/2 किम"}
    assert _matcher(near).match("पुतिन", "किम") == []
    assert _matcher(near).match("पुतिन और किम", "")[0].count == 2


def test_a_topic_with_names_and_a_query_matches_on_either() -> None:
    both = {"id": "t", "kind": "topic", "names": ["प्रतिबंध"], "query": "परमाणु AND वार्ता"}
    assert _matcher(both).match("", "प्रतिबंधों पर चर्चा")[0].names == ("प्रतिबंध",)
    assert _matcher(both).match("", "परमाणु वार्ता")[0].count == 2


def test_topic_count_is_the_hits_that_made_the_query_true() -> None:
    query = {"id": "t", "kind": "topic", "query": "(परमाणु OR न्यूक्लियर) AND (वार्ता OR समझौता) NOT क्रिकेट"}
    [found] = _matcher(query).match("परमाणु वार्ता", "न्यूक्लियर समझौते और फिर परमाणु")
    assert found.count == 5
    assert found.names == ("परमाणु", "वार्ता", "न्यूक्लियर", "समझौता")


def test_a_name_with_no_letters_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'।' has no letters or digits"):
        _matcher({"id": "x", "kind": "leader", "names": ["।"]})


def test_an_empty_config_matches_nothing() -> None:
    assert Matcher.from_watchlists([]).match("पुतिन", "पुतिन") == []


def test_matching_from_many_threads_gives_the_same_answers() -> None:
    matcher = _matcher(PUTIN, SANCTIONS)
    texts = [f"पुतिन {'और पुतिन ' * n}पर प्रतिबंध" for n in range(40)]
    alone = [matcher.match("", text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda text: matcher.match("", text), texts))
    assert together == alone


def test_explain_shows_the_name_and_the_words_around_each_mention() -> None:
    text = "कल रात मॉस्को में रूस के राष्ट्रपति व्लादिमीर पुतिन ने एक लंबा भाषण दिया और कहा कि युद्ध जारी रहेगा।"
    [found] = _matcher(PUTIN).match("पुतिन बोले", text)
    lines = explain(found, "पुतिन बोले", text).splitlines()
    assert lines[0] == "desk/putin (leader) ×2: पुतिन, व्लादिमीर पुतिन"
    assert lines[1] == "  title 0-5 «पुतिन»: [पुतिन] बोले"
    assert lines[2].endswith("«व्लादिमीर पुतिन»: … रात मॉस्को में रूस के राष्ट्रपति [व्लादिमीर पुतिन] ने एक लंबा भाषण दिया और …")


def test_entity_match_is_frozen_and_hashable() -> None:
    match = EntityMatch("w", "e", "leader", 1, ("n",), (Span("title", 0, 1, "n"),))
    assert hash(match) == hash(EntityMatch("w", "e", "leader", 1, ("n",), (Span("title", 0, 1, "n"),)))


NEAR_ROWS = [
    ("पुतिन किम", True),  # neighbours are 1 apart
    ("पुतिन और किम", True),  # 2 apart
    ("पुतिन और फिर किम", False),  # 3 apart
    ("किम और पुतिन", True),  # either order
]


@pytest.mark.parametrize(("text", "matches"), NEAR_ROWS)
def test_near_counts_words_apart_with_neighbours_one_apart(text: str, matches: bool) -> None:
    near = {"id": "meet", "kind": "topic", "query": "पुतिन NEAR/2 किम"}
    assert bool(_matcher(near).match("", text)) is matches


def test_all_watchlists_share_one_automaton_of_distinct_patterns() -> None:
    lists = [
        WatchlistConfig(name=f"w{n}", channels=["c"], entities=[PUTIN, SANCTIONS])  # type: ignore[list-item]
        for n in range(3)
    ]
    compiled = Matcher.from_watchlists(lists)._compiled
    single = Matcher.from_watchlists(lists[:1])._compiled
    assert len(compiled.automaton) == len(single.automaton)
    assert len(compiled.entities) == 6
