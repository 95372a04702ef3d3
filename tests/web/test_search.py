"""The status page's search box runs the archive search: highlighted hits, newest first, escaped, and why not."""

from __future__ import annotations

import time
from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement
from sqlalchemy.engine import URL

from tests.web.conftest import HOSTILE_TITLE, Web
from worker.archive import Archive, ArchivedArticle, ArchiveError, open_archive
from worker.web import search as web_search
from worker.web.bounded import Bounded
from worker.web.search import SEARCH_HITS_SHOWN, day_options, search_page

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


def _search(web: Web, query: str, days: str | None = None) -> HtmlElement:
    response = web.get("/search", params={"q": query} if days is None else {"q": query, "days": days})
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
    assert _one(form, "select").get("name") == "days"
    assert _one(form, "select option[selected]").get("value") == "all"


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


AGES = {"hour": timedelta(hours=2), "week": timedelta(days=3), "month": timedelta(days=12), "older": timedelta(days=40)}


@pytest.fixture
def aged(embedded_web: Web) -> Web:
    """An article about पुतिन archived 2 hours, 3 days, 12 days and 40 days ago (its URL ends in which)."""
    archive, now = open_archive(embedded_web.settings), datetime.now(UTC)
    for name, age in AGES.items():
        archive.add(ArchivedArticle(f"https://paper.example/{name}", "पुतिन", "पुतिन ने कहा।", now - age))
    return embedded_web


@pytest.mark.parametrize(
    ("days", "found"),
    [
        ("1", ["hour"]),
        ("7", ["hour", "week"]),
        ("30", ["hour", "week", "month"]),  # no choice in the form (the archive keeps 30 days), yet a valid window
        ("all", ["hour", "week", "month", "older"]),
        ("", ["hour", "week", "month", "older"]),
    ],
)
def test_days_keep_the_search_to_the_articles_archived_in_the_last_days(aged: Web, days: str, found: list[str]) -> None:
    page = _search(aged, "पुतिन", days)
    urls = [link.get("href") for link in page.cssselect("#search-results .hit .title a")]
    assert [url.rsplit("/", 1)[1] for url in urls] == found
    assert _one(page, "form.search select option[selected]").get("value") == (days or "all")


def test_a_window_with_no_match_says_which_days_were_searched(aged: Web) -> None:
    page = _search(aged, "ट्रंप", "7")
    assert "no article archived in the last 7 days matches" in _one(page, "#no-hits").text_content()
    assert "(2 searched)" in _one(page, "#no-hits").text_content()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("abc", "days: 'abc' is not a number of days from 1 to 3650"),
        ("7.5", "days: '7.5' is not a number of days from 1 to 3650"),
        ("-1", "days: '-1' is not a number of days from 1 to 3650"),
        ("\u0663", "days: '\u0663' is not a number of days from 1 to 3650"),  # an Arabic-Indic 3: digits are ASCII
        ("0", "days: 0 is not a number of days from 1 to 3650"),
        ("3651", "days: 3651 is not a number of days from 1 to 3650"),
        ("99999999999999999999", "days: '99999999999999999999' is not a number of days from 1 to 3650"),
        ("<b>7</b>", "days: '<b>7</b>' is not a number of days from 1 to 3650"),  # shown as text
    ],
)
def test_days_that_are_no_number_of_days_are_explained_on_the_page(aged: Web, days: str, message: str) -> None:
    page = _search(aged, "पुतिन", days)
    assert _one(page, "#search-error").text_content() == f"त्रुटि error: {message}"
    assert page.cssselect("#search-results .hit, #search-results b") == []
    assert _one(page, "form.search select option[selected]").get("value") == "all"


@pytest.mark.parametrize(
    ("chosen", "kept_days", "offered"),
    [
        (None, 30, ["all*", "1", "7"]),  # 30 days of a 30-day archive would search the same as all
        (None, 90, ["all*", "1", "7", "30"]),
        (7, 30, ["all", "1", "7*"]),
        (3, 30, ["all", "1", "3*", "7"]),  # a window typed into the URL stays chosen
        (None, None, ["all*", "1", "7", "30"]),  # the config cannot be read: every choice
    ],
)
def test_the_form_offers_the_windows_shorter_than_the_archive_keeps(
    chosen: int | None, kept_days: int | None, offered: list[str]
) -> None:
    options = day_options(chosen, kept_days)
    assert [option.value + ("*" if option.selected else "") for option in options] == offered


def test_a_search_that_runs_too_long_says_so_and_how_to_narrow_it(aged: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_search, "SEARCH_TIMEOUT_S", 0.0)  # past its deadline at the first article
    page = _search(aged, "पुतिन", "7")
    text = _one(page, "#too-long").text_content()
    assert "the search took longer than 0 s and was stopped after 1 article:" in text
    assert "fewer days than 7 or a more specific query" in text
    assert page.cssselect("#search-results .hit") == []


ARTICLES_READ_SLOWLY = 400
READ_PAUSE_S = 0.01  # per article: the whole archive takes 4 s to read, the search is given 0.2 s


class SlowArchive(Archive):
    """A real archive whose stream pauses at every article and counts what it hands out."""

    read = 0
    closed = False

    def stream(
        self, since: datetime | None = None, *, newest_first: bool = False
    ) -> Generator[ArchivedArticle, None, None]:
        try:
            for article in super().stream(since, newest_first=newest_first):
                self.read += 1
                time.sleep(READ_PAUSE_S)
                yield article
        finally:
            self.closed = True


def test_a_search_past_its_time_stops_reading_the_archive_and_frees_its_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = SlowArchive(URL.create("sqlite+pysqlite", database=str(tmp_path / "archive.sqlite3")))
    archive.add_many(
        ArchivedArticle(f"https://paper.example/{n}", "बारिश", "आज बारिश होगी।", DAY)
        for n in range(ARTICLES_READ_SLOWLY)
    )
    monkeypatch.setattr(web_search, "SEARCH_TIMEOUT_S", 0.2)
    bounded = Bounded()
    found = search_page(lambda: archive, "पुतिन", bounded)
    assert found.too_long
    for _ in range(100):  # the reader thread ends by itself, well before the archive is read through
        if bounded.in_flight == 0:
            break
        time.sleep(0.05)
    read = archive.read
    time.sleep(10 * READ_PAUSE_S)
    assert (bounded.in_flight, archive.closed, archive.read) == (0, True, read)  # nothing read after it stopped
    assert read < ARTICLES_READ_SLOWLY
    archive.close()
