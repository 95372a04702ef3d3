"""`khabardar cluster`: JSON lines in arrival order → each article's story, as a desk would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import khabardar_env
from tests.stories.articles import BRIDGE, BRIDGE_TITLE, SUMMIT, SUMMIT_TITLE, respelled

CLI_TIMEOUT_S = 60


def _cluster(tmp_path: Path, documents: list[dict[str, object]], *extra: str) -> list[dict[str, object]]:
    stdin = "".join(json.dumps(document, ensure_ascii=False) + "\n" for document in documents)
    done = subprocess.run(
        [sys.executable, "-m", "tasks.cli", "cluster", *extra],
        input=stdin,
        env=khabardar_env(tmp_path / "var"),
        capture_output=True,
        text=True,
        check=True,
        timeout=CLI_TIMEOUT_S,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_cluster_names_the_first_article_of_each_story(tmp_path: Path) -> None:
    documents: list[dict[str, object]] = [
        {"id": "jagran-1", "title": BRIDGE_TITLE, "text": BRIDGE, "outlet": "jagran", "published": "2026-03-12T09:00"},
        {"id": 7, "title": SUMMIT_TITLE, "text": SUMMIT, "outlet": "amarujala", "published": "2026-03-12T09:05"},
        {"id": "nbt-3", "title": "पुल खुला", "text": respelled(BRIDGE), "outlet": "nbt", "published": "2026-03-12T09:10"},
    ]
    assert _cluster(tmp_path, documents) == [
        {"id": "jagran-1", "story": "jagran-1"},
        {"id": 7, "story": 7},
        {"id": "nbt-3", "story": "jagran-1"},
    ]


def test_cluster_window_bounds_how_long_an_article_can_start_a_story(tmp_path: Path) -> None:
    documents: list[dict[str, object]] = [
        {"id": "a", "title": BRIDGE_TITLE, "text": BRIDGE, "published": "2026-03-12T09:00:00+05:30"},
        {"id": "b", "title": BRIDGE_TITLE, "text": BRIDGE, "published": "2026-03-12T12:00:00+05:30"},
    ]
    assert [line["story"] for line in _cluster(tmp_path, documents, "--window", "2h")] == ["a", "b"]
    assert [line["story"] for line in _cluster(tmp_path, documents)] == ["a", "a"]


def test_cluster_refuses_a_window_that_is_not_a_duration(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tasks.cli", "cluster", "--window", "soon"],
        input="",
        env=khabardar_env(tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert done.returncode == 2 and "not a duration" in done.stderr
