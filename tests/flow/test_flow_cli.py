"""`khabardar alerts list` says why each held alert is held; `khabardar digest preview` shows the next digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tasks.cli import cli
from tests.alerts.sample import ALERT
from worker.config import load_config
from worker.flow.hold import record_alert
from worker.store import SqliteStore

CONFIG = """\
channels:
  desk: {type: webhook, url: "https://example.org/hook"}
watchlists:
  - name: world-leaders
    channels: [desk]
    entities:
      - {id: putin, kind: leader, names: [पुतिन]}
    delivery: {quiet_hours: "00:00-23:59", timezone: UTC}
  - name: evening
    channels: [desk]
    entities:
      - {id: modi, kind: leader, names: [मोदी]}
    delivery: {digest: {at: ["18:00"]}, timezone: UTC}
"""


@pytest.fixture
def held_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SqliteStore:
    config = tmp_path / "khabardar.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.delenv("KHABARDAR_REDIS_URL", raising=False)
    monkeypatch.setenv("KHABARDAR_CONFIG", str(config))
    monkeypatch.setenv("KHABARDAR_DATA_DIR", str(tmp_path / "var"))
    store = SqliteStore(tmp_path / "var")
    settings = load_config(config).config
    now = datetime.now(UTC).replace(hour=12, minute=0)
    if datetime.now(UTC).hour == 23 and datetime.now(UTC).minute == 59:
        now -= timedelta(minutes=1)  # the one minute of the day outside the quiet window
    record_alert(store, settings, ALERT, now)
    record_alert(store, settings, replace(ALERT, id="evening-1", watchlist="evening"), now)
    return store


def test_alerts_list_shows_held_alerts_and_why(held_store: SqliteStore) -> None:
    result = CliRunner().invoke(cli, ["alerts", "list"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "held (they go out in digests)" in output
    assert "quiet hours until 23:59" in output and "digest at 18:00" in output


def test_digest_preview_prints_the_next_digest(held_store: SqliteStore) -> None:
    result = CliRunner().invoke(cli, ["digest", "preview", "world-leaders"])
    assert result.exit_code == 0, result.output
    assert "desk: 1 held alert(s); quiet hours until 23:59" in result.output
    assert "पुतिन और किम जोंग उन की मुलाकात" in result.output and "नेता · putin" in result.output


def test_digest_preview_of_a_list_with_nothing_held_says_so(held_store: SqliteStore) -> None:
    result = CliRunner().invoke(cli, ["digest", "preview", "nobody"])
    assert result.exit_code == 0 and "nothing is held for nobody" in result.output


def test_digest_preview_with_a_broken_config_says_so_and_fails(held_store: SqliteStore, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(CONFIG.replace("quiet_hours:", "quiet_hour:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["digest", "preview", "world-leaders", "--config", str(broken)])
    assert result.exit_code == 1
    output = result.output.replace("\n", "")
    assert f"the config {broken} is invalid" in output and "quiet_hour" in output
    assert "held alert" not in output
