"""`khabardar feeds`: the health table from the states polls recorded, and the start-up check of the XML parser."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tasks.cli import cli
from tasks.feedhealth import feeds_table
from tasks.startup import check_xml_parser
from tests.conftest import khabardar_env
from worker.config import load_config
from worker.store import SqliteStore

NOW = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)
CLI_TIMEOUT_S = 60
CONFIG = """\
feeds:
  - {name: jagran, url: "https://www.jagran.com/rss/world.xml"}
  - {name: amar-ujala, url: "https://www.amarujala.com/rss/india.xml"}
  - {name: naya, url: "https://khabar.example/rss.xml"}
"""
HEALTHY = {
    "polled": True,
    "last_success": (NOW - timedelta(minutes=3)).isoformat(),
    "checks_ok": 4,
    "not_modified": 3,
    "consecutive_errors": 0,
    "entries_per_day": 48.0,
    "last_new_entry": (NOW - timedelta(minutes=40)).isoformat(),
    "next_check_at": (NOW + timedelta(minutes=2)).isoformat(),
}
MOVED = HEALTHY | {"moved_to": "https://www.amarujala.com/rss/desh.xml", "not_modified": 0}


def _render(tmp_path: Path) -> str:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    store = SqliteStore(tmp_path / "var")
    store.put_feed_state("jagran", HEALTHY)
    store.put_feed_state("amar-ujala", MOVED)
    console = Console(width=400, record=True)
    console.print(feeds_table(load_config(path), store, NOW))
    return console.export_text()


def test_the_table_has_a_row_per_feed_with_its_health(tmp_path: Path) -> None:
    lines = {line.split("│")[1].strip(): line for line in _render(tmp_path).splitlines() if line.count("│") > 3}
    assert {"jagran", "amar-ujala", "naya"} <= set(lines)
    for text in ("ok", "3 min ago", "48.0", "40 min ago", "75%", "in 2 min"):
        assert text in lines["jagran"]
    assert "moved" in lines["amar-ujala"] and "https://www.amarujala.com/rss/desh.xml" in lines["amar-ujala"]
    assert "new" in lines["naya"] and "due" in lines["naya"] and "never" in lines["naya"]


def test_khabardar_feeds_prints_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("KHABARDAR_REDIS_URL", raising=False)
    result = CliRunner().invoke(cli, ["--config", str(path), "feeds"])
    assert result.exit_code == 0, result.output
    assert "3 feeds" in result.output  # the columns themselves are folded to the test terminal's width
    assert result.output.count("due") == 3  # no feed has been polled in this store


@pytest.mark.parametrize("version", [(2, 4, 9), (2, 2, 10)])
def test_an_unsafe_expat_refuses_to_start_and_says_why(
    monkeypatch: pytest.MonkeyPatch, version: tuple[int, ...]
) -> None:
    monkeypatch.setattr("xml.parsers.expat.version_info", version)
    with pytest.raises(SystemExit, match=r"refusing to start: Expat .* older than 2\.5\.0"):
        check_xml_parser()


def test_an_oldish_expat_starts_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("xml.parsers.expat.version_info", (2, 6, 0))
    check_xml_parser()
    assert "Expat 2.6.0 is older than the advised" in caplog.text


def test_the_worker_command_refuses_to_start_on_an_unsafe_expat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setattr("xml.parsers.expat.version_info", (2, 4, 0))
    result = CliRunner().invoke(cli, ["--config", str(path), "worker"])
    assert result.exit_code == 1
    assert "refusing to start" in result.output


def test_khabardar_feeds_piped_keeps_whole_rows(tmp_path: Path) -> None:
    # Piped into a file or grep, rich would assume 80 columns and squeeze ten columns into "succ…" and "erro…".
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    env = khabardar_env(tmp_path / "var")
    env.pop("COLUMNS", None)
    shown = subprocess.run(
        [sys.executable, "-m", "tasks.cli", "--config", str(path), "feeds"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=CLI_TIMEOUT_S,
    ).stdout
    assert "last success" in shown and "what is wrong" in shown and "amar-ujala" in shown
