"""fetch_article: the page when it is usable, else the feed's own words — never nothing."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from worker.clean import CleanArticle
from worker.fetch import fetch_article
from worker.http import HttpClient

FEED_TITLE = "LIVE संसद में बजट पर बहस जारी, विपक्ष ने उठाए सवाल"
FEED_SUMMARY = "<p>लोकसभा में आज बजट पर बहस हुई। वित्त मंत्री ने विपक्ष के सवालों के जवाब दिए और कर ढांचे पर बात की।</p>"
ARTICLE = "".join(
    f"<p>वित्त मंत्री ने संसद में बजट पर चर्चा के दौरान {n} बार कहा कि कर ढांचा सरल होगा और राज्यों को अधिक हिस्सा मिलेगा।</p>"
    for n in range(1, 9)
)


def _fetch(server: HTTPServer) -> CleanArticle:
    http = HttpClient(allow_hosts=[f"{server.host}:{server.port}"])
    return fetch_article(
        http,
        url=server.url_for("/a/budget.html"),
        feed_title=FEED_TITLE,
        feed_summary_html=FEED_SUMMARY,
        published=None,
        sites={},
    )


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, "<html><body>server error</body></html>"),
        (200, "<html><body><nav><a href='/'>होम</a> <a href='/desh'>देश</a></nav></body></html>"),
    ],
    ids=["page answers 500", "page has no article"],
)
def test_a_page_that_fails_us_gives_the_feed_text(httpserver: HTTPServer, status: int, body: str) -> None:
    httpserver.expect_request("/a/budget.html").respond_with_data(body, status=status, content_type="text/html")
    article = _fetch(httpserver)
    assert article.extracted_by == "feed"
    assert "वित्त मंत्री ने विपक्ष के सवालों" in article.text


def test_a_page_without_a_title_takes_the_feed_title_without_its_badge(httpserver: HTTPServer) -> None:
    page = f"<html><body><article>{ARTICLE}</article></body></html>"
    httpserver.expect_request("/a/budget.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    article = _fetch(httpserver)
    assert article.extracted_by != "feed"
    assert article.title == "संसद में बजट पर बहस जारी, विपक्ष ने उठाए सवाल"
