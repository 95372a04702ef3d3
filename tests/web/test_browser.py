"""The status page in a real headless Chromium (the distribution's package), driven by Playwright."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.web.conftest import HOSTILE_TITLE, Web, add_alerts, alert
from worker.archive import ArchivedArticle, open_archive

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEVANAGARI_TITLE = "पुतिन और किम जोंग उन की मुलाकात, प्रतिबंधों पर चर्चा"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs the chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(web: Web) -> Web:
    """Feeds, a dead Devanagari alert, a hostile title and two days of hourly counts in the store."""
    web.store.put_feed_state("desh", {"polled": True, "last_success": "2026-12-01T10:00:00+00:00"})
    add_alerts(web.store, [alert(1, minutes_ago=30), alert(2, title=HOSTILE_TITLE, minutes_ago=5)])
    web.store.outbox_dead(f"{1:032x}", time.time(), "slack channel 'desk': 404")
    this_hour = int(time.time() // 3600)
    for hours_ago, count in ((0, 2), (3, 5), (30, 1)):
        web.tally.add_hourly(this_hour - hours_ago, {"world-leaders": count})
    return web


def test_status_page_in_a_browser_shows_feeds_and_alerts_runs_no_injected_script_and_refuses_a_tokenless_action(
    browser: Any, page: Web, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(page.url + "/")

    assert "desh" in tab.locator("#feeds").inner_text()
    alerts_text = tab.locator("#alerts").inner_text()
    assert DEVANAGARI_TITLE in alerts_text
    assert HOSTILE_TITLE in alerts_text  # shown as text
    assert tab.locator("img").count() == 0
    assert tab.locator("#alerts mark").count() >= 1
    assert tab.locator("svg#alerts-chart polyline.series").count() == 1
    screenshot = tmp_path_factory.mktemp("web-screenshot") / "status-page.png"
    tab.screenshot(path=str(screenshot), full_page=True)
    print(f"\nstatus page screenshot: {screenshot}")

    with tab.expect_navigation():
        tab.locator("form.replay button").first.click()  # the token field left empty
    assert "refused: wrong or missing token" in tab.content()
    assert page.store.outbox_get(f"{1:032x}").state == "dead"  # type: ignore[union-attr]
    assert dialogs == []  # no alert(1) ran, neither on the page nor after the action
    tab.close()


HOSTILE_QUERY = '"><img src=x onerror=alert(1)>'


def test_the_search_box_finds_archived_articles_marks_the_hits_and_shows_a_hostile_query_as_text(
    browser: Any, page: Web, tmp_path_factory: pytest.TempPathFactory
) -> None:
    archive = open_archive(page.settings)
    when = datetime.now(UTC)
    archive.add(ArchivedArticle("https://paper.example/1", DEVANAGARI_TITLE, "मास्को में पुतिन ने कहा।", when))
    archive.add(ArchivedArticle("https://paper.example/2", "बारिश", "आज बारिश होगी।", when))
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(page.url + "/")

    tab.locator("form.search input[name=q]").fill("पुतिन AND प्रतिबंध*")
    with tab.expect_navigation():
        tab.locator("form.search button").click()
    assert tab.locator("#search-results .hit").count() == 1
    assert tab.locator("#search-results .hit .title mark").all_inner_texts() == ["पुतिन", "प्रतिबंधों"]
    assert DEVANAGARI_TITLE in tab.locator("#search-results").inner_text()
    screenshot = tmp_path_factory.mktemp("web-screenshot") / "search-page.png"
    tab.screenshot(path=str(screenshot), full_page=True)
    print(f"\nsearch page screenshot: {screenshot}")

    tab.locator("form.search input[name=q]").fill(HOSTILE_QUERY)
    with tab.expect_navigation():
        tab.locator("form.search input[name=q]").press("Enter")
    assert tab.locator("#parse-error").count() == 1  # the quote it opens is never closed
    assert HOSTILE_QUERY in tab.locator("#parse-error code").inner_text()  # shown as text, where it failed marked
    assert tab.locator("form.search input[name=q]").input_value() == HOSTILE_QUERY
    assert tab.locator("img").count() == 0
    assert dialogs == []
    tab.close()


def test_the_days_choice_narrows_the_search_and_stays_chosen_on_the_result_page(browser: Any, page: Web) -> None:
    archive, now = open_archive(page.settings), datetime.now(UTC)
    archive.add(ArchivedArticle("https://paper.example/today", "पुतिन आज", "पुतिन ने कहा।", now - timedelta(hours=2)))
    archive.add(ArchivedArticle("https://paper.example/old", "पुतिन पहले", "पुतिन ने कहा।", now - timedelta(days=10)))
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(page.url + "/")

    tab.locator("form.search input[name=q]").fill("पुतिन")
    tab.locator("form.search select[name=days]").select_option("7")
    with tab.expect_navigation():
        tab.locator("form.search button").click()
    assert tab.locator("#search-results .hit .title").all_inner_texts() == ["पुतिन आज"]
    assert tab.locator("form.search select[name=days]").input_value() == "7"
    assert "?q=%E0%A4" in tab.url and tab.url.endswith("&days=7")

    tab.locator("form.search select[name=days]").select_option("all")
    with tab.expect_navigation():
        tab.locator("form.search button").click()
    assert tab.locator("#search-results .hit .title").all_inner_texts() == ["पुतिन आज", "पुतिन पहले"]
    assert tab.locator("form.search select[name=days]").input_value() == "all"
    tab.close()
