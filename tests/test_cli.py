"""The CLI's contract for broken configs: exit 1, every message with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tasks.cli import cli

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
