"""Unset, `fuzzy` makes topic names of 4+ consonants spelling-tolerant, and nothing else (README)."""

from __future__ import annotations

import pytest

from worker.config.models import WatchlistConfig
from worker.match import Matcher


def _found(kind: str, name: str, text: str, fuzzy: bool | None = None) -> bool:
    entity = {"id": "e", "kind": kind, "names": [name], "fuzzy": fuzzy}
    watchlist = WatchlistConfig.model_validate({"name": "w", "channels": ["c"], "entities": [entity]})
    return bool(Matcher.from_watchlists([watchlist]).match("", text))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("क्वारंटाइन", "यात्रियों को क्वारंटीन किया गया"),
        ("क्वारंटाइन", "सभी को क्वारेंटाइन में रखा"),
        ("तब्लीगी जमात", "तबलीगी जमात के लोग"),
        ("आइसोलेशन", "आईसोलेशन वार्ड बना"),
        ("सैनिटाइजर", "सैनीटाइजर बांटे गए"),
    ],
)
def test_a_long_topic_name_tolerates_spellings_by_default(name: str, text: str) -> None:
    assert _found("topic", name, text)
    assert not _found("topic", name, text, fuzzy=False)  # an editor can still turn it off


@pytest.mark.parametrize(
    ("kind", "name", "text"),
    [
        ("topic", "कोरोना", "यह काम करना है"),  # 3 consonants: its fuzzy key is करना's
        ("topic", "मास्क", "मसक कर रह गया"),
        ("leader", "जो बाइडन", "जो बाइडेन ने कहा"),  # leaders stay as written unless `fuzzy: true`
    ],
)
def test_short_topic_names_and_leaders_are_not_fuzzy_by_default(kind: str, name: str, text: str) -> None:
    assert not _found(kind, name, text)


def test_fuzzy_true_still_makes_a_leader_tolerant() -> None:
    assert _found("leader", "जो बाइडन", "जो बाइडेन ने कहा", fuzzy=True)
