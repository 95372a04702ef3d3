"""`khabardar backtest` and `khabardar search` as an editor runs them: a real subprocess on a real archive."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import URL
from typer.testing import CliRunner

from tasks.cli import cli
from tests.archive.test_backtest import ARTICLES
from tests.conftest import khabardar_env
from worker.archive import Archive, ArchivedArticle

CLI_TIMEOUT_S = 120
CONFIG = """\
channels:
  desk: {type: console}
watchlists:
  - name: desk
    channels: [desk]
    entities:
      - {id: modi, kind: leader, names: [नरेंद्र मोदी, मोदी]}
      - {id: lockdown, kind: topic, names: [लॉकडाउन]}
"""


def _khabardar(tmp_path: Path, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "khabardar.yaml"
    if not config.exists():
        config.write_text(CONFIG, encoding="utf-8")
    env = khabardar_env(tmp_path / "var", config)
    if database_url is not None:
        env["KHABARDAR_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "tasks.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False)


@pytest.fixture
def filled(archive_url: URL, tmp_path: Path) -> str | None:
    """The archive of ARTICLES; the URL to hand the subprocess (None: the SQLite file under its data dir)."""
    if archive_url.get_backend_name() == "sqlite":
        archive_url = URL.create("sqlite+pysqlite", database=str(tmp_path / "var" / "archive.sqlite3"))
    archive = Archive(archive_url)
    archive.add_many(ARTICLES)
    archive.close()
    if archive_url.get_backend_name() == "sqlite":
        return None
    return archive_url.render_as_string(hide_password=False)


def test_backtest_json_is_the_contract_shape(tmp_path: Path, filled: str | None) -> None:
    result = _khabardar(tmp_path, "backtest", "--json", database_url=filled)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"articles", "entities", "gained", "lost"}
    assert report["articles"] == 4
    modi = report["entities"][0]
    assert set(modi) == {"watchlist", "entity", "articles", "alerts", "per_day", "samples"}
    assert (modi["entity"], modi["articles"], modi["alerts"]) == ("modi", 2, 1)
    assert set(modi["samples"][0]) == {"url", "title", "spans"}


def test_backtest_against_an_old_config_prints_gained_and_lost(tmp_path: Path, filled: str | None) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(CONFIG.replace("names: [लॉकडाउन]", "names: [बारिश]"), encoding="utf-8")
    result = _khabardar(tmp_path, "backtest", "--json", "--against", str(old), database_url=filled)
    report = json.loads(result.stdout)
    assert sorted(change["url"] for change in report["gained"]) == [f"https://paper.example/{n}" for n in (1, 2, 3)]
    assert report["lost"] == [{"url": "https://paper.example/4", "watchlist": "desk", "entity": "lockdown"}]


def test_backtest_as_text_shows_the_table_and_the_matched_words(tmp_path: Path, filled: str | None) -> None:
    result = _khabardar(tmp_path, "backtest", "--watchlist", "desk", database_url=filled)
    assert result.returncode == 0, result.stderr
    assert "backtest over 4 archived articles" in result.stdout
    assert "03-12: 2" in result.stdout
    assert "नरेंद्र मोदी ने कहा" in result.stdout
    assert "backtest" not in result.stderr  # no progress bar when stderr is not a terminal


def test_backtest_over_an_empty_archive_says_so_and_exits_0(tmp_path: Path) -> None:
    result = _khabardar(tmp_path, "backtest")
    assert result.returncode == 0, result.stderr
    assert "the archive holds no articles" in result.stderr


def test_backtest_of_an_unknown_watch_list_names_the_known_ones(tmp_path: Path) -> None:
    result = _khabardar(tmp_path, "backtest", "--watchlist", "sports")
    assert result.returncode == 2
    assert "no watch-list 'sports' in the config (known: desk)" in result.stderr


def test_search_json_lines_come_newest_first(tmp_path: Path, filled: str | None) -> None:
    result = _khabardar(tmp_path, "search", "लॉकडाउन", "--json", database_url=filled)
    assert result.returncode == 0, result.stderr
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert [hit["url"][-1] for hit in hits] == ["3", "2", "1"]
    assert set(hits[0]) == {"url", "title", "outlet", "published", "spans"}
    assert hits[0]["spans"][0]["text"] == "लॉकडाउनों"


def test_search_as_text_highlights_and_counts(tmp_path: Path, filled: str | None) -> None:
    result = _khabardar(tmp_path, "search", "मोदी AND लॉकडाउन", database_url=filled)
    assert result.returncode == 0, result.stderr
    assert "https://paper.example/1" in result.stdout
    assert "2 articles matched" in result.stderr


def test_a_query_that_cannot_parse_says_where(tmp_path: Path) -> None:
    result = _khabardar(tmp_path, "search", "मोदी AND (लॉकडाउन")
    assert result.returncode == 2
    assert "unbalanced parenthesis at column 10" in result.stderr
    assert "         ^" in result.stderr


def test_postgresql_down_exits_1_naming_the_url_without_its_password(tmp_path: Path) -> None:
    result = _khabardar(tmp_path, "backtest", database_url="postgresql://desk:s3cret@127.0.0.1:1/archive")
    assert result.returncode == 1
    assert "the archive database postgresql+psycopg://desk:***@127.0.0.1:1/archive cannot be used" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


@pytest.mark.parametrize("args", [["backtest"], ["search", "मोदी"], ["variants"]], ids=lambda args: args[0])
def test_opening_the_archive_logs_no_migration_lines(tmp_path: Path, args: list[str]) -> None:
    result = _khabardar(tmp_path, *args)  # a new archive: its first open runs every migration
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "archive.sqlite3").exists()
    assert "alembic" not in result.stderr and "INFO" not in result.stderr, result.stderr


def test_variants_lists_a_spelling_the_watch_list_misses(tmp_path: Path) -> None:
    archive = Archive(URL.create("sqlite+pysqlite", database=str(tmp_path / "var" / "archive.sqlite3")))
    archive.add_many([_article_with("बाजारों में लॉगडाउन का असर दिखा")])
    archive.close()
    result = _khabardar(tmp_path, "variants", "--json")
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["entity"], row["spelling"], row["count"]) == ("lockdown", "लॉगडाउन", 1)
    shown = _khabardar(tmp_path, "variants", "--watchlist", "desk")
    assert "लॉगडाउन" in shown.stdout and "modi" in shown.stdout


def _article_with(text: str) -> ArchivedArticle:
    return ArchivedArticle("https://paper.example/v", "", text, ARTICLES[0].archived_at)


def test_backtest_against_a_broken_old_config_names_its_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, old = tmp_path / "khabardar.yaml", tmp_path / "old.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    old.write_text(CONFIG.replace("channels: [desk]", "chanels: [desk]"), encoding="utf-8")
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    result = CliRunner().invoke(cli, ["--config", str(config), "backtest", "--against", str(old)])
    assert result.exit_code == 1
    output = result.output.replace("\n", "")
    assert f"the config {old} is invalid" in output and "chanels" in output


@pytest.mark.parametrize(("days", "found"), [("3650", ["3", "2", "1"]), ("30", [])])  # ARTICLES are of March 2026
def test_search_days_keeps_to_the_articles_archived_in_the_last_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, days: str, found: list[str]
) -> None:
    config = tmp_path / "khabardar.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    archive = Archive(URL.create("sqlite+pysqlite", database=str(tmp_path / "var" / "archive.sqlite3")))
    archive.add_many(ARTICLES)
    archive.close()
    result = CliRunner().invoke(cli, ["--config", str(config), "search", "लॉकडाउन", "--days", days, "--json"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["url"][-1] for line in result.stdout.splitlines()] == found


def test_search_days_past_the_longest_archive_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "none.yaml"), "search", "मोदी", "--days", "3651"])
    assert result.exit_code == 2
    assert "Invalid value for '--days': Input should be less than or equal to 3650" in result.output
