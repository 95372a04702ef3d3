"""The status page's search box runs the archive search: highlighted hits, newest first, escaped, and why not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from lxml.html import HtmlElement

from tests.web.conftest import HOSTILE_TITLE, Web
from worker.archive import Archive, ArchivedArticle, ArchiveError, open_archive
from worker.web.bounded import Bounded
from worker.web.search import SEARCH_HITS_SHOWN, search_page

DAY = datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
ARTICLES = [
    ("https://paper.example/old", "पुतिन ने प्रतिबंधों पर कहा", "रूस के राष्ट्रपति ने नए प्रतिबंधों की निंदा की।", 0),
    ("https://paper.example/new", "मौसम का हाल", "मास्को में व्लादिमीर पुतिन ने कहा कि प्रतिबंध बेअसर हैं।", 1),
    ("javascript:alert(1)", HOSTILE_TITLE, "पुतिन <script>alert(1)</script> प्रतिबंध", 2),
    ("https://paper.example/rain", "बारिश", "आज बारिश होगी।", 3),
]


@pytest.fixture
def archived(embedded_web: Web) -> Web:
    archive = open_archive(embedded_web.settings)
    for url, title, text, day in ARTICLES:
        archive.add(ArchivedArticle(url, title, text, DAY + timedelta(days=day), outlet="paper.example"))
    return embedded_web


def _search(web: Web, query: str) -> HtmlElement:
    response = web.get("/search", params={"q": query})
    assert response.status_code == 200
    assert "script-src" not in response.headers["Content-Security-Policy"]  # still no script allowed at all
    return lxml.html.fromstring(response.text)


def _one(element: HtmlElement, selector: str) -> HtmlElement:
    [found] = element.cssselect(selector)
    return found


def _texts(element: HtmlElement, selector: str) -> list[str]:
    return [found.text_content() for found in element.cssselect(selector)]


def test_a_query_lists_the_matching_articles_newest_first_with_the_matched_words_marked(archived: Web) -> None:
    page = _search(archived, "पुतिन AND प्रतिबंध*")
    hits = page.cssselect("#search-results .hit")
    assert _texts(page, "#search-results .hit .title") == [HOSTILE_TITLE, "मौसम का हाल", ARTICLES[0][1]]
    assert _texts(hits[1], "mark") == ["पुतिन", "प्रतिबंध"]
    assert _texts(hits[2], ".title mark") == ["पुतिन", "प्रतिबंधों"]


def test_hostile_titles_text_and_urls_are_shown_as_text_never_as_markup_or_links(archived: Web) -> None:
    page = _search(archived, "पुतिन")
    assert page.cssselect("img, script") == []
    hostile = page.cssselect("#search-results .hit")[0]
    assert _one(hostile, ".title").text_content() == HOSTILE_TITLE
    assert "<script>alert(1)</script>" in _one(hostile, ".snippet").text_content()
    assert hostile.cssselect("a") == []  # a javascript: URL is not made a link


def test_a_hostile_query_is_echoed_as_text(archived: Web) -> None:
    query = '"><img src=x onerror=alert(1)>'
    page = _search(archived, query)
    assert page.cssselect("img") == []
    assert _one(page, "form.search input[name=q]").get("value") == query


def test_a_query_that_does_not_parse_shows_where(archived: Web) -> None:
    page = _search(archived, "पुतिन AND (प्रतिबंध")
    error = _one(page, "#parse-error")
    assert "column 11" in error.text_content()
    assert _one(error, "mark").text_content() == "("
    assert page.cssselect("#search-results .hit") == []


def test_an_empty_archive_says_so(embedded_web: Web) -> None:
    page = _search(embedded_web, "पुतिन")
    assert len(page.cssselect("#empty-archive")) == 1


def test_no_hit_says_so_and_an_empty_query_goes_back_to_the_status_page(archived: Web) -> None:
    assert len(_search(archived, "ट्रंप").cssselect("#no-hits")) == 1
    response = archived.get("/search", params={"q": "  "}, allow_redirects=False)
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_the_status_page_has_the_search_box(archived: Web) -> None:
    form = _one(lxml.html.fromstring(archived.get("/").text), "form.search")
    assert (form.get("action"), form.get("method"), _one(form, "input").get("name")) == ("/search", "get", "q")


def test_past_the_newest_hits_shown_the_page_says_there_are_more(embedded_web: Web) -> None:
    archive = open_archive(embedded_web.settings)
    for number in range(SEARCH_HITS_SHOWN + 2):
        when = DAY + timedelta(minutes=number)
        archive.add(ArchivedArticle(f"https://paper.example/{number}", "पुतिन", "पुतिन ने कहा।", when))
    page = _search(embedded_web, "पुतिन")
    links = [link.get("href") for link in page.cssselect("#search-results .hit .title a")]
    assert len(links) == SEARCH_HITS_SHOWN
    assert links[0] == f"https://paper.example/{SEARCH_HITS_SHOWN + 1}"  # the newest first
    assert f"{SEARCH_HITS_SHOWN}+ articles" in page.text_content()


def test_an_archive_that_cannot_be_opened_is_reported_on_the_page_not_raised() -> None:
    def unreachable() -> Archive:
        raise ArchiveError("archive: PostgreSQL at postgresql://khabardar:***@127.0.0.1:9/db is unreachable")

    found = search_page(unreachable, "पुतिन", Bounded())
    assert (found.hits, found.error) == (
        [],
        "archive: PostgreSQL at postgresql://khabardar:***@127.0.0.1:9/db is unreachable",
    )
