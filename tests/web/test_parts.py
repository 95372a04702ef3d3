"""The web app's pure parts: the chart, highlighting, listen addresses, the action guard, bounded reads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from worker.config import load_config
from worker.config.models import WatchlistConfig
from worker.errors import ConfigError, StoreError
from worker.match import Matcher
from worker.web.actions import ActionRefused, Guard
from worker.web.bounded import Bounded
from worker.web.chart import CHART_HOURS, alerts_chart
from worker.web.highlight import highlight, marked
from worker.web.listen import parse_listen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8470", ("127.0.0.1", 8470)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("[::1]:8470", ("::1", 8470)),
        ("localhost:0", ("localhost", 0)),
    ],
)
def test_listen_address_is_host_and_port(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["8470", ":8470", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:70000", ""])
def test_listen_address_without_host_or_numeric_port_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not HOST:PORT"):
        parse_listen(text)


def test_marked_escapes_everything_but_its_own_marks() -> None:
    assert marked("<b>मोदी</b> & co", [(3, 7)]) == "&lt;b&gt;<mark>मोदी</mark>&lt;/b&gt; &amp; co"


def test_marked_skips_overlapping_and_out_of_range_spans() -> None:
    assert marked("abcdef", [(0, 3), (2, 4), (5, 99)]) == "<mark>abc</mark>def"


def test_highlight_marks_the_words_the_matcher_found_in_escaped_text() -> None:
    watchlist = WatchlistConfig.model_validate(
        {"name": "w", "channels": ["c"], "entities": [{"id": "putin", "kind": "leader", "names": ["पुतिन"]}]}
    )
    title, snippet = highlight(Matcher.from_watchlists([watchlist]), "w", "<i>पुतिन</i> का दौरा", "पुतिन ने कहा")
    assert title == "&lt;i&gt;<mark>पुतिन</mark>&lt;/i&gt; का दौरा"
    assert snippet == "<mark>पुतिन</mark> ने कहा"


def test_chart_draws_one_line_per_watch_list_over_48_hours() -> None:
    now_hour = 500_000
    svg = alerts_chart({now_hour: {"a": 4}, now_hour - 47: {"b": 1}, now_hour - 10: {"a": 2}}, now_hour)
    assert svg.count('class="series"') == 2
    points = svg.split('data-watchlist="a"')[1].split('points="')[1].split('"')[0].split()
    assert len(points) == CHART_HOURS
    assert points[-1].endswith(",8.0")  # the busiest hour reaches the top of the plot


def test_chart_escapes_watch_list_names() -> None:
    svg = alerts_chart({1: {"<script>x</script>": 1}}, 1)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_guard_refuses_every_action_without_a_configured_token() -> None:
    guard = Guard(None)
    nonce = guard.new_nonce()
    with pytest.raises(ActionRefused, match="not set"):
        guard.check(token="", csrf=guard.csrf_for(nonce), nonce=nonce)


def test_guard_accepts_the_token_with_the_csrf_of_its_own_nonce_only() -> None:
    guard = Guard("t0ken")
    nonce, other = guard.new_nonce(), guard.new_nonce()
    guard.check(token="t0ken", csrf=guard.csrf_for(nonce), nonce=nonce)
    with pytest.raises(ActionRefused, match="CSRF"):
        guard.check(token="t0ken", csrf=guard.csrf_for(other), nonce=nonce)
    with pytest.raises(ActionRefused, match="CSRF"):
        guard.check(token="t0ken", csrf=Guard("another").csrf_for(nonce), nonce=nonce)


def test_bounded_read_gives_up_on_a_store_that_does_not_answer() -> None:
    never = threading.Event()
    bounded = Bounded()
    try:
        with pytest.raises(StoreError, match=r"no answer within 0\.05 s"):
            bounded.call(never.wait, 0.05)
    finally:
        never.set()


def test_bounded_read_refuses_at_once_when_reads_pile_up_on_a_stuck_store() -> None:
    never = threading.Event()
    bounded = Bounded()
    try:
        for _ in range(8):
            with pytest.raises(StoreError, match="no answer"):
                bounded.call(never.wait, 0.01)
        with pytest.raises(StoreError, match="8 reads are still waiting"):
            bounded.call(lambda: None, 0.01)
    finally:
        never.set()


def test_bounded_read_passes_the_stores_own_error_on() -> None:
    def failing() -> None:
        raise StoreError("store: boom")

    with pytest.raises(StoreError, match="boom"):
        Bounded().call(failing, 1.0)


@pytest.mark.parametrize(("listen", "valid"), [("127.0.0.1:8470", True), ("[::1]:80", True), ("8470", False)])
def test_config_web_listen_must_be_host_and_port(tmp_path: Path, listen: str, valid: bool) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(f'web: {{listen: "{listen}"}}\n', encoding="utf-8")
    if valid:
        assert load_config(path).config.web.listen == listen
    else:
        with pytest.raises(ConfigError, match=r"khabardar.yaml:1: web.listen: '8470' is not HOST:PORT"):
            load_config(path)


def test_config_web_listen_defaults_to_loopback(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text("feeds: []\n", encoding="utf-8")
    assert load_config(path).config.web.listen == "127.0.0.1:8470"
