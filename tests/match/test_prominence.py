"""Prominence: an entity counts where the rule says (title, lede, ×N), and the match says where it was found."""

from __future__ import annotations

import pytest

from worker.config.models import ProminenceConfig
from worker.match.model import EntityMatch, Span
from worker.match.prominence import lede_end, prominence

TEXT = "पहला अनुच्छेद मोदी के बारे में है।\n\nदूसरा अनुच्छेद।\n\nतीसरे में मोदी और फिर मोदी।"
LEDE = lede_end(TEXT)


def _match(*spans: tuple[str, int]) -> EntityMatch:
    return EntityMatch("w", "modi", "leader", len(spans), ("मोदी",), tuple(Span(f, s, s + 4, "मोदी") for f, s in spans))


IN_TITLE = _match(("title", 0))
IN_LEDE = _match(("text", TEXT.index("मोदी")))
DEEP_TWICE = _match(("text", TEXT.rindex("मोदी") - 10), ("text", TEXT.rindex("मोदी")))


@pytest.mark.parametrize(
    ("match", "rule", "meets", "where"),
    [
        (IN_TITLE, {"in": ["title"]}, True, "title"),
        (IN_LEDE, {"in": ["title"]}, False, "lede"),
        (IN_LEDE, {"in": ["title", "lede"]}, True, "lede"),
        (DEEP_TWICE, {"in": ["title", "lede"]}, False, "×2"),
        (DEEP_TWICE, {"in": ["title"], "min_mentions": 2}, True, "×2"),
        (DEEP_TWICE, {"min_mentions": 3}, False, "×2"),
    ],
)
def test_prominence_rule_and_where_it_was_found(
    match: EntityMatch, rule: dict[str, object], meets: bool, where: str
) -> None:
    found = prominence(match, LEDE)
    assert found.meets(ProminenceConfig.model_validate(rule)) is meets
    assert found.where() == where


def test_the_lede_is_the_first_non_empty_paragraph() -> None:
    assert lede_end("\n\nपहला।\n\nदूसरा।") == len("\n\nपहला।")
    assert lede_end("एक ही अनुच्छेद") == len("एक ही अनुच्छेद")
