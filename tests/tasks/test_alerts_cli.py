"""`khabardar alerts list` and `alerts show` name the later copies of a story folded into its alert, read from the
story index of the embedded store and of Redis alike."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tasks.cli import cli
from tasks.console import out
from tasks.operator import also_in_text
from tests.alerts.sample import ALERT
from tests.flow.test_flow_cli import CONFIG  # the alert's watch-list and channel
from worker.alerts.update import Update
from worker.settings import Settings
from worker.store import open_store
from worker.stories.open import open_story_index

WIDE_COLS = 400
OUTLETS = ("अमर उजाला", "लाइव हिन्दुस्तान", "नवभारत टाइम्स", "दैनिक भास्कर")
COPIES = [
    {
        "url": f"https://outlet-{number}.example.in/putin-kim.html",
        "outlet": outlet,
        "title": f"पुतिन-किम मुलाकात ({number})",
        "published": f"2026-11-28T08:4{number}:00+00:00",
    }
    for number, outlet in enumerate(OUTLETS)
]


@pytest.fixture(params=["sqlite", "redis"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The environment the CLI reads: the embedded store, then Redis, with one alert and its folded copies."""
    config = tmp_path / "khabardar.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("KHABARDAR_CONFIG", str(config))
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("KHABARDAR_REDIS_URL", raising=False)
    if request.param == "redis":
        monkeypatch.setenv("KHABARDAR_REDIS_URL", request.getfixturevalue("redis_url"))
        monkeypatch.setenv("KHABARDAR_REDIS_PREFIX", request.getfixturevalue("redis_prefix"))
    chosen = Settings.from_env()
    store = open_store(chosen)
    store.outbox_add(ALERT.id, ALERT.to_dict(), time.time())
    store.close()
    index = open_story_index(chosen)
    for copy in COPIES:
        index.add_update(ALERT.id, copy, time.time())
    yield chosen
    getattr(index, "close", lambda: None)()


def test_alerts_list_names_the_outlets_of_the_folded_copies(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(out, "width", WIDE_COLS)  # each row on one line, so a cell is one string
    result = CliRunner().invoke(cli, ["alerts", "list"])
    assert result.exit_code == 0, result.output
    assert "also in: अमर उजाला, लाइव हिन्दुस्तान (+2)" in result.output


def test_alerts_show_lists_every_folded_copy(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["alerts", "show", ALERT.id])
    assert result.exit_code == 0, result.output
    assert "also in (4 later copies)" in result.output
    for copy in COPIES:
        assert all(str(value) in result.output for value in copy.values())
    assert ALERT.article.title in result.output


def test_alerts_show_json_carries_also_in(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["alerts", "show", ALERT.id, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"] == ALERT.id and shown["state"] == "pending"
    assert shown["alert"]["article"]["title"] == ALERT.article.title
    assert shown["also_in"] == COPIES


def test_alerts_show_of_an_unknown_alert_fails(settings: Settings) -> None:
    result = CliRunner().invoke(cli, ["alerts", "show", "no-such-alert"])
    assert result.exit_code == 1 and "no alert no-such-alert" in result.output


ALSO_IN_CASES = [
    ([], ""),
    ([{"outlet": "A"}], "also in: A"),
    ([{"outlet": "A"}, {"outlet": "A"}, {"outlet": "B"}], "also in: A, B"),
    ([{"outlet": "A"}, {"outlet": "B"}, {"outlet": "C"}], "also in: A, B (+1)"),
    ([{"outlet": "", "url": "https://x.example/1"}], "also in: https://x.example/1"),
]


@pytest.mark.parametrize(("copies", "expected"), ALSO_IN_CASES)
def test_also_in_names_each_outlet_once_and_counts_the_rest(copies: list[dict[str, str]], expected: str) -> None:
    assert also_in_text(copies) == expected


def test_an_update_record_is_listed_as_the_update_of_its_alert_with_the_alerts_copies(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(settings)
    update = Update.of(ALERT.to_dict())
    store.outbox_rearm(update.id, update.to_dict(), time.time(), time.time())
    store.close()
    monkeypatch.setattr(out, "width", WIDE_COLS)
    listed = CliRunner().invoke(cli, ["alerts", "list"])
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if update.id in line)
    assert f"update of {ALERT.id}" in row and "also in: अमर उजाला, लाइव हिन्दुस्तान (+2)" in row
    shown = CliRunner().invoke(cli, ["alerts", "show", update.id])
    assert shown.exit_code == 0, shown.output
    assert "also in (4 later copies)" in shown.output and ALERT.id in shown.output
