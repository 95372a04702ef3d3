"""Search runs the topic query language over archived articles, with spans into what was archived."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.archive.test_backtest import ARTICLES
from worker.archive import ArchivedArticle
from worker.archive.search import SearchTimeout, search
from worker.match import QuerySyntaxError


@pytest.mark.parametrize(
    ("query", "urls"),
    [
        ("मोदी AND लॉकडाउन", ["1", "2"]),
        ("लॉकडाउन NOT मोदी", ["3"]),
        ("बारिश OR दुकान", ["3", "4"]),
        ('"लॉकडाउन"', ["1", "2"]),  # quoted: as written, no inflection (लॉकडाउनों)
    ],
)
def test_a_query_finds_the_articles_it_describes(query: str, urls: list[str]) -> None:
    assert [hit.article.url[-1] for hit in search(ARTICLES, query)] == urls


def test_a_hit_carries_the_matched_words_as_spans() -> None:
    [hit] = list(search(ARTICLES[:1], "नरेंद्र मोदी"))
    [span] = hit.spans
    assert (span.field, span.text) == ("text", "नरेंद्र मोदी")
    assert hit.to_json()["spans"] == [{"field": "text", "start": 0, "end": 12, "text": "नरेंद्र मोदी"}]
    assert hit.to_json()["published"] == "2026-03-12T08:01:00+00:00"


def test_a_query_that_cannot_parse_names_its_column_before_reading_anything() -> None:
    def never() -> list[object]:
        raise AssertionError("the archive was read")

    with pytest.raises(QuerySyntaxError) as raised:
        search(iter(never, None), "मोदी AND (लॉकडाउन")  # type: ignore[call-overload]
    assert raised.value.column == 10


def test_a_search_past_its_deadline_stops_before_the_next_article() -> None:
    read: list[str] = []

    def articles() -> Iterator[ArchivedArticle]:
        for article in ARTICLES:
            read.append(article.url)
            yield article

    found = search(articles(), "मोदी", deadline=time.monotonic() + 3600)
    assert next(found).article.url == ARTICLES[0].url  # well before the deadline: matched as usual
    stopping = search(articles(), "मोदी", deadline=time.monotonic())
    with pytest.raises(SearchTimeout, match="stopped at its deadline"):
        next(stopping)
    assert read == [ARTICLES[0].url, ARTICLES[0].url]  # the second search read one article and matched none
