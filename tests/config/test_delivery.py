"""The delivery block: good settings load; each bad one is a config error naming its file, line and field."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from worker.config import load_config
from worker.config.delivery import parse_window
from worker.errors import ConfigError

CONFIG = """\
channels:
  hook: {{type: webhook, url: "https://example.org/hook"}}
watchlists:
  - name: leaders
    channels: [hook]
    entities:
      - {{id: putin, kind: leader, names: [पुतिन]}}
    delivery:
      {setting}
"""


def _load(tmp_path: Path, setting: str) -> object:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG.format(setting=setting), encoding="utf-8")
    return load_config(path).config


def test_the_product_example_loads_with_its_defaults(tmp_path: Path) -> None:
    setting = 'quiet_hours: "22:00-07:00"\n      burst: {max: 10, per: 15m}\n      digest: {at: ["18:00", "09:00"]}'
    config = _load(tmp_path, setting)
    delivery = config.watchlists[0].delivery  # type: ignore[attr-defined]
    assert delivery.timezone == "Asia/Kolkata"
    assert delivery.burst.per == timedelta(minutes=15)
    assert delivery.digest.at == ["09:00", "18:00"]
    assert delivery.holds and delivery.priority == "normal"


def test_a_watchlist_without_delivery_holds_nothing(tmp_path: Path) -> None:
    config = _load(tmp_path, "priority: normal")
    assert not config.watchlists[0].delivery.holds  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("setting", "line", "says"),
    [
        ('quiet_hours: "25:00-07:00"', 9, "not a time of day"),
        ('quiet_hours: "22:00"', 9, "not a window"),
        ('quiet_hours: "22:00-22:00"', 9, "empty"),
        ("timezone: Mars/Olympus", 9, "unknown time zone"),
        ("burst: {max: 0, per: 15m}", 9, "greater than or equal to 1"),
        ("digest: {every: 10s}", 9, "at least 1m"),
        ('digest: {every: 1h, at: ["09:00"]}', 9, "exactly one"),
        ('digest: {at: ["9am"]}', 9, "not a time of day"),
        ("priority: loud", 9, "urgent"),
        ("quiet: 22-7", 9, "unknown key"),
    ],
)
def test_a_bad_delivery_setting_is_a_config_error_at_its_line(
    tmp_path: Path, setting: str, line: int, says: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, setting)
    message = str(raised.value)
    assert f"khabardar.yaml:{line}:" in message and "delivery" in message, message
    assert says in message, message


def test_a_window_may_cross_midnight() -> None:
    assert parse_window("22:00-07:00") == (time(22), time(7))
