"""The CLI's contract for broken configs: exit 1, every message with file:line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tasks.arguments import config_first
from tasks.cli import cli
from tests.tasks.test_console import border_columns

CONFIG = """\
feeds:
  - {name: a, url: "https://example.org/a.xml"}
channels:
  terminal: {type: console}
watchlists:
  - name: w
    channels: [terminal]
    entities:
      - {id: putin, kind: leader, names: [पुतिन]}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("{name: a,", "{nme: a,", ":2: feeds[0].nme: unknown key"),
        ('"https://example.org/a.xml"', '"${FEED_URL_THAT_IS_NOT_SET}"', ":2: feeds[0].url: environment variable"),
        ("channels: [terminal]", "channels: [slack]", ":7: watchlists[0].channels[0]: unknown channel 'slack'"),
    ],
)
def test_check_config_exits_1_naming_file_and_line(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG.replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "check-config"])
    assert result.exit_code == 1
    assert f"{path.name}{expected}" in result.output.replace("\n", "")


def test_check_config_summarises_a_good_config(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "check-config"])
    assert result.exit_code == 0, result.output
    assert "config OK" in result.output
    assert "putin" in result.output


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path / "nope.yaml"), "check-config"])
    assert result.exit_code == 1
    assert "no such config file" in result.output


COMMANDS = [  # (subcommand, its arguments, exit status on a broken config: 1 where it reads the config)
    (["check-config"], [], 1),
    (["run"], [], 1),
    (["worker"], [], 1),
    (["beat"], [], 1),
    (["once"], ["--dry-run"], 1),
    (["match"], [], 1),
    (["clean"], ["--html", "page.html"], 1),
    (["channels"], [], 1),
    (["feeds"], [], 1),
    (["test-alert"], ["terminal"], 1),
    (["alerts", "list"], [], 0),
    (["alerts", "show"], ["no-such-alert"], 1),
    (["alerts", "replay"], ["--dead"], 0),
    (["web"], [], 1),
    (["digest", "preview"], ["leaders"], 1),
    (["cluster"], [], 0),
    (["search"], ["पुतिन"], 1),
    (["variants"], [], 1),
    (["backtest"], [], 1),
]
NOT_CONFIG_ERRORS = {"alerts show"}  # exits 1 for the unknown alert id; the config only sets the story window


@pytest.mark.parametrize(("command", "arguments", "status"), COMMANDS)
def test_config_is_taken_after_the_subcommand_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], arguments: list[str], status: int
) -> None:
    monkeypatch.setenv("KHABARDAR_CONFIG", str(tmp_path / "elsewhere.yaml"))  # restored after the test
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text("<html><body><p>पाठ</p></body></html>", encoding="utf-8")
    path = tmp_path / "broken.yaml"
    path.write_text(CONFIG.replace("{name: a,", "{nme: a,"), encoding="utf-8")
    result = CliRunner().invoke(cli, [*command, "--config", str(path), *arguments])
    assert result.exit_code == status, result.output
    assert os.environ["KHABARDAR_CONFIG"] == str(path)
    config_error = status == 1 and " ".join(command) not in NOT_CONFIG_ERRORS
    assert (f"the config {path} is invalid" in result.output.replace("\n", "")) is config_error


def test_the_config_table_names_every_subcommand() -> None:
    assert {" ".join(command) for command, _, _ in COMMANDS} == set(_leaf_commands(typer.main.get_command(cli)))


def _leaf_commands(group: Any, prefix: str = "") -> list[str]:
    names: list[str] = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _leaf_commands(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["once", "--config", "b.yaml"], ["--config", "b.yaml", "once"]),
        (["--config", "a.yaml", "once", "--config=b.yaml"], ["--config", "a.yaml", "--config=b.yaml", "once"]),
        (["worker", "-c", "4", "--config", "b.yaml"], ["--config", "b.yaml", "worker", "-c", "4"]),  # Celery's -c
        (["worker", "--", "--config", "celery.py"], ["worker", "--", "--config", "celery.py"]),
        (["once", "--config"], ["once", "--config"]),  # no value: left for the parser to refuse
    ],
)
def test_config_options_move_in_front_of_the_subcommand(args: list[str], expected: list[str]) -> None:
    assert config_first(args) == expected


BAD_LINES = [  # (stdin line, what stderr says about it)
    ("not json", "not JSON"),
    ("[1, 2]", "not a JSON object but list"),
    ('{"title": "पुतिन", "text": ""}', '"id" is missing'),
    ('{"id": true, "title": "पुतिन"}', '"id" should be a string or a number'),
    ('{"id": 7, "title": ["पुतिन"]}', '"title" should be a string'),
    ('{"id": 7, "text": 3}', '"text" should be a string'),
]


@pytest.mark.parametrize(("line", "complaint"), BAD_LINES)
def test_match_reports_a_bad_line_by_number_and_goes_on(tmp_path: Path, line: str, complaint: str) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    good = [json.dumps({"id": n, "title": "पुतिन का दौरा", "text": ""}, ensure_ascii=False) for n in (1, 3)]
    stdin = "\n".join([good[0], line, good[1]]) + "\n"
    result = CliRunner().invoke(cli, ["match", "--config", str(path)], input=stdin)
    assert result.exit_code == 1
    assert [json.loads(out)["id"] for out in result.stdout.splitlines()] == [1, 3]
    assert f"khabardar match: stdin line 2: {complaint}" in result.stderr


def test_match_exits_0_when_every_line_is_good(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(cli, ["match", "--config", str(path)], input='{"id": "x", "title": "पुतिन"}\n\n')
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["entity"] == "putin"


def test_check_config_lines_up_a_table_of_hindi_names(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG.replace("names: [पुतिन]", "names: [व्लादिमीर पुतिन, प्रधानमंत्री]"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-config", "--config", str(path)])
    table = [line for line in result.stdout.splitlines() if "┃ entity" in line or "│ putin" in line]
    assert len(table) == 2 and len({tuple(border_columns(line)) for line in table}) == 1, result.stdout
