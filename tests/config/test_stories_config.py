"""The story and prominence keys (PRODUCT.md "Second round"): defaults, accepted values, file:line errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from worker.config import load_config
from worker.config.models import Config
from worker.errors import ConfigError

CONFIG = """\
channels:
  terminal: {type: console}
stories:
  window: 48h
watchlists:
  - name: leaders
    channels: [terminal]
    stories: every
    prominence: {in: [title, lede], min_mentions: 3}
    entities:
      - id: modi
        kind: leader
        names: [नरेंद्र मोदी]
        prominence: {in: [title]}
      - id: shah
        kind: leader
        names: [अमित शाह]
"""


def _load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "khabardar.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={}).config


def test_story_and_prominence_keys_are_read(tmp_path: Path) -> None:
    config = _load(tmp_path, CONFIG)
    watchlist = config.watchlists[0]
    assert watchlist.prominence is not None and watchlist.entities[0].prominence is not None
    assert config.stories.window == timedelta(hours=48)
    assert watchlist.stories == "every"
    assert watchlist.prominence.in_ == ["title", "lede"] and watchlist.prominence.min_mentions == 3
    assert watchlist.entities[0].prominence.in_ == ["title"]
    assert watchlist.entities[1].prominence is None


def test_without_the_keys_stories_fold_within_72_hours_and_prominence_is_off(tmp_path: Path) -> None:
    plain = "\n".join(line for line in CONFIG.splitlines() if "stories" not in line and "window" not in line)
    plain = plain.replace("    prominence: {in: [title, lede], min_mentions: 3}\n", "")
    config = _load(tmp_path, plain.replace("        prominence: {in: [title]}\n", ""))
    assert config.stories.window == timedelta(hours=72)
    assert config.watchlists[0].stories == "fold"
    assert config.watchlists[0].prominence is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    stories: every", "    stories: some", ":8: watchlists[0].stories"),
        ("  window: 48h", "  window: soon", ":4: stories.window: 'soon' is not a duration"),
        ("  window: 48h", "  window: 0s", ":4: stories.window: window must be longer than 0s"),
        ("  window: 48h", "  windows: 48h", ":4: stories.windows: unknown key"),
        ("min_mentions: 3}", "min_mentions: 0}", ":9: watchlists[0].prominence.min_mentions"),
        ("{in: [title, lede], min", "{in: [body], min", ":9: watchlists[0].prominence.in"),
        ("{in: [title]}", "{where: [title]}", ":14: watchlists[0].entities[0].prominence.where: unknown key"),
        ("{in: [title]}", "{}", ":14: watchlists[0].entities[0].prominence: prominence needs"),
    ],
)
def test_bad_story_and_prominence_values_name_file_line_and_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in CONFIG
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, CONFIG.replace(old, new, 1))
    assert f"khabardar.yaml{expected}" in str(raised.value)
