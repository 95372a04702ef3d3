"""The topic query parser: what it accepts, and errors that point at the column, also at config load."""

from __future__ import annotations

import pydantic
import pytest

from worker.config.models import EntityConfig
from worker.query import And, Near, Not, Or, QuerySyntaxError, Term, parse_query, terms


def _term(text: str, mode: str = "stem") -> Term:
    return next(t for t in terms(parse_query(text)) if t.mode == mode)


def test_or_binds_looser_than_and() -> None:
    node = parse_query("क OR ख AND ग")
    assert isinstance(node, Or)
    assert isinstance(node.items[1], And)


def test_not_after_a_term_means_and_not() -> None:
    node = parse_query("कोरोना NOT क्रिकेट")
    assert isinstance(node, And)
    assert isinstance(node.items[1], Not)


def test_near_binds_tighter_than_and() -> None:
    node = parse_query("पुतिन NEAR/5 किम AND रूस")
    assert isinstance(node, And)
    assert isinstance(node.items[0], Near)
    assert node.items[0].distance == 5


def test_bare_words_next_to_each_other_are_one_phrase() -> None:
    assert terms(parse_query("शिखर वार्ता OR बैठक"))[0].words == ("शिखर", "वार्ता")


def test_quoted_phrase_is_exact_and_may_hold_operator_words() -> None:
    term = _term('"AND OR"', "exact")
    assert term.words == ("and", "or")


def test_trailing_star_makes_a_prefix_term() -> None:
    term = _term("प्रतिबंध*", "prefix")
    assert term.words == ("प्रतिबंध",)
    assert term.text == "प्रतिबंध*"


def test_lower_case_operator_words_are_plain_words() -> None:
    assert terms(parse_query("war and peace"))[0].words == ("war", "and", "peace")


def test_query_terms_are_normalized_like_text() -> None:
    assert _term("ट्रम्प").words == ("ट्रंप",)


ERRORS = [
    ("(परमाणु OR वार्ता", "unbalanced parenthesis at column 1"),
    ("परमाणु OR वार्ता)", "unbalanced parenthesis at column 17"),
    ("(परमाणु OR (वार्ता AND सौदा)", "unbalanced parenthesis at column 1"),
    ('"परमाणु वार्ता', "unterminated quote at column 1"),
    ("परमाणु OR", "expected a word, a quoted phrase or ( at the end at column 10"),
    ("OR परमाणु", "expected a word, a quoted phrase or ( instead of 'OR' at column 1"),
    ("परमाणु AND AND वार्ता", "instead of 'AND' at column 12"),
    ("पुतिन NEAR/ किम", "NEAR needs a number of words from 1 to 1000, like NEAR/5, at column 7"),
    ("पुतिन NEAR/0 किम", "at column 7"),
    ("पुतिन NEAR/x किम", "at column 7"),
    ("(क AND ख) NEAR/3 ग", "NEAR/n joins words, phrases or OR-groups of them at column 11"),
    ("प्र*तिबंध", "`*` goes only at the end of a word at column 4"),
    ("प्रति* बंध", "`*` goes only at the end of the last word at column 1"),
    ('"।"', "has no letters or digits to match at column 2"),
    ("", "empty query at column 1"),
    ("   ", "empty query at column 1"),
    ("NOT क्रिकेट", "the query only says what must be absent"),
    ("क (ख)", "expected AND, OR, NOT or NEAR/n before '(' at column 3"),
]


@pytest.mark.parametrize(("query", "message"), ERRORS)
def test_bad_queries_are_rejected_with_the_column(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        parse_query(query)


def test_a_query_error_is_a_value_error_with_its_column() -> None:
    with pytest.raises(ValueError, match="column 14") as caught:
        parse_query("(क OR ख) AND (ग")
    assert isinstance(caught.value, QuerySyntaxError)
    assert caught.value.column == 14


def test_config_load_reports_the_query_error_with_its_column() -> None:
    with pytest.raises(pydantic.ValidationError, match="unbalanced parenthesis at column 14") as caught:
        EntityConfig.model_validate({"id": "nuke", "kind": "topic", "query": "(क OR ख) AND (ग"})
    assert caught.value.errors()[0]["loc"] == ("query",)
