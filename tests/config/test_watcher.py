"""Hot reload: an edit takes effect without a restart; an invalid edit is refused and the last good config stays."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from worker.config import ConfigWatcher

CONFIG = """\
feeds:
  - {name: a, url: "https://example.org/a.xml", interval: 5m}
channels:
  terminal: {type: console}
"""


def _touch_later(path: Path, text: str) -> None:
    """Write and move the mtime forward, so a reload is noticed even within one filesystem tick."""
    stat = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_edit_takes_effect_without_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    watcher = ConfigWatcher(path, recheck_interval_s=0)
    before = watcher.current().version
    _touch_later(path, CONFIG.replace("interval: 5m", "interval: 1m"))
    loaded = watcher.current()
    assert loaded.version != before
    assert loaded.config.feeds[0].interval.total_seconds() == 60


def test_an_invalid_edit_is_logged_and_the_last_good_config_stays(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    watcher = ConfigWatcher(path, recheck_interval_s=0)
    good = watcher.current()
    _touch_later(path, CONFIG.replace("interval:", "intervl:"))
    with caplog.at_level(logging.ERROR):
        assert watcher.current() is good
    assert "the edit was refused" in caplog.text
    assert "feeds[0].intervl: unknown key" in caplog.text


def test_no_recheck_before_the_interval(tmp_path: Path) -> None:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    watcher = ConfigWatcher(path, recheck_interval_s=3600)
    first = watcher.current()
    _touch_later(path, CONFIG.replace("interval: 5m", "interval: 1m"))
    assert watcher.current() is first
