"""Articles the pipeline processes land in the archive, where `search` and `backtest` find them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from tests.integration.conftest import FEEDS, run_khabardar, write_config
from tests.integration.site import Site
from worker.archive import Archive

pytestmark = pytest.mark.integration


def test_a_processed_article_is_archived_with_its_matches_and_found_by_search(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    once = run_khabardar(config, tmp_path / "var", "once")
    assert once.returncode == 0, once.stderr
    archive = Archive(URL.create("sqlite+pysqlite", database=str(tmp_path / "var" / "archive.sqlite3")))
    archived = list(archive.stream())
    archive.close()
    assert archived and all(article.text and article.url.startswith("http") for article in archived)

    found = run_khabardar(config, tmp_path / "var", "search", "पुतिन", "--json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert hits and all(any(span["text"].endswith("पुतिन") for span in hit["spans"]) for hit in hits)

    backtest = json.loads(run_khabardar(config, tmp_path / "var", "backtest", "--json").stdout)
    assert backtest["articles"] == len(archived)
    assert any(entity["entity"] == "putin" and entity["articles"] for entity in backtest["entities"])


def test_a_dry_run_archives_nothing(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    assert run_khabardar(config, tmp_path / "var", "once", "--dry-run").returncode == 0
    archive = Archive(URL.create("sqlite+pysqlite", database=str(tmp_path / "var" / "archive.sqlite3")))
    assert archive.count() == 0
    archive.close()
