"""The common content of every message: IST time, highlighted names, one line per matched entity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.alerts.sample import ALERT, make_alert
from worker.alerts.model import AlertMatch
from worker.alerts.view import AlertView, format_ist, highlight, matches_runs


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 11, 28, 8, 35, tzinfo=UTC), "28 नवंबर 2026, 14:05 IST"),
        (datetime(2026, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-5))), "1 जनवरी 2026, 10:30 IST"),
        (datetime(2026, 2, 28, 20, 0, tzinfo=UTC), "1 मार्च 2026, 01:30 IST"),
        (datetime(2026, 8, 15, 3, 0), "15 अगस्त 2026, 08:30 IST"),
        (None, "समय अज्ञात"),
    ],
)
def test_published_time_is_shown_in_ist_with_hindi_month(moment: datetime | None, shown: str) -> None:
    assert format_ist(moment) == shown


@pytest.mark.parametrize(
    ("snippet", "names", "topics", "runs"),
    [
        ("पुतिन ने कहा", ["पुतिन"], [], (("पुतिन", True), (" ने कहा", False))),
        # a name inside a longer word is not a mention
        ("मोदीनगर में मोदी", ["मोदी"], [], (("मोदीनगर में ", False), ("मोदी", True))),
        # the longer name wins where both match
        ("व्लादिमीर पुतिन आए", ["पुतिन", "व्लादिमीर पुतिन"], [], (("व्लादिमीर पुतिन", True), (" आए", False))),
        ("Putin said", ["putin"], [], (("Putin", True), (" said", False))),
        # topic terms bold their inflected forms
        ("प्रतिबंधों पर", [], ["प्रतिबंध"], (("प्रतिबंधों", True), (" पर", False))),
        ("प्रतिबंधों पर", ["प्रतिबंध"], [], (("प्रतिबंधों पर", False),)),
        ("(पुतिन), पुतिन।", ["पुतिन"], [], (("(", False), ("पुतिन", True), ("), ", False), ("पुतिन", True), ("।", False))),
        ("", ["पुतिन"], [], ()),
        ("कुछ नहीं", [], [], (("कुछ नहीं", False),)),
    ],
)
def test_highlight_bolds_whole_word_mentions_only(
    snippet: str, names: list[str], topics: list[str], runs: tuple[tuple[str, bool], ...]
) -> None:
    assert highlight(snippet, names, topics) == runs


def test_matches_are_one_line_per_entity_with_kind_names_and_count() -> None:
    assert matches_runs(ALERT.matches) == (
        ("नेता", True),
        (" putin: व्लादिमीर पुतिन, पुतिन (3×)", False),
        ("\n", False),
        ("नेता", True),
        (" kim-jong-un: किम जोंग उन (1×)", False),
        ("\n", False),
        ("विषय", True),
        (" sanctions: प्रतिबंध (2×)", False),
    )


def test_a_match_without_names_shows_its_entity_id() -> None:
    assert matches_runs((AlertMatch("nuclear-talks", "topic", 1, ()),)) == (
        ("विषय", True),
        (" nuclear-talks: nuclear-talks (1×)", False),
    )


def test_view_cleans_feed_text_and_falls_back_to_the_feed_name() -> None:
    view = AlertView.of(make_alert(title="  पुतिन\n\x1b[2Jआए ", outlet="", snippet=""))
    assert view.title == "पुतिन [2Jआए"
    assert view.outlet == "example-world"
    assert view.snippet == ()


def test_view_gives_an_untitled_article_a_title() -> None:
    assert AlertView.of(make_alert(title=" ")).title == "(बिना शीर्षक)"
