"""The pipeline's hook keeps each processed article, and a failing archive never fails the article."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from worker.alerts.model import ArticleSummary
from worker.archive import Archive, archive_article, record
from worker.config.models import Config
from worker.settings import Settings

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
SUMMARY = ArticleSummary("https://paper.example/1", "शीर्षक", "desk-feed", "पत्र", NOW, "")


def test_the_article_is_kept_with_its_feed_outlet_and_text(tmp_path: Path) -> None:
    archive_article(Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path)}), Config(), SUMMARY, "पाठ", [], NOW)
    archive = Archive(URL.create("sqlite+pysqlite", database=str(tmp_path / "archive.sqlite3")))
    [kept] = list(archive.stream())
    archive.close()
    assert (kept.url, kept.feed, kept.outlet, kept.text, kept.published) == (
        SUMMARY.url,
        "desk-feed",
        "पत्र",
        "पाठ",
        NOW,
    )


def test_an_unreachable_archive_is_logged_and_rested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("KHABARDAR_DATABASE_URL", "postgresql://desk:s3cret@127.0.0.1:1/archive")
    monkeypatch.setattr(record, "_resting_until", 0.0)
    settings = Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path)})
    with caplog.at_level(logging.WARNING, logger="worker.archive.record"):
        archive_article(settings, Config(), SUMMARY, "पाठ", [], NOW)
        archive_article(settings, Config(), SUMMARY, "पाठ", [], NOW)  # within the rest: not tried, not logged
    [warning] = caplog.records
    assert "was not archived" in warning.getMessage()
    assert "s3cret" not in warning.getMessage()
