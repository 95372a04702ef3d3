"""`khabardar once` on the embedded default: no Redis, no broker; state survives between runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import FEEDS, run_khabardar, write_config
from tests.integration.site import Item, Site

pytestmark = pytest.mark.integration

CHANNEL_COUNT = 7


def test_once_alerts_every_channel_and_a_second_run_adds_none(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    first = run_khabardar(config, tmp_path / "var", "once")
    assert first.returncode == 0, first.stderr
    assert {kind: len(posts) for kind, posts in news.received.items()} == dict.fromkeys(news.received, 1)
    assert (tmp_path / "var" / "state.sqlite").exists()

    second = run_khabardar(config, tmp_path / "var", "once")
    assert second.returncode == 0, second.stderr
    assert news.total_received() == CHANNEL_COUNT
    assert "0 new articles" in second.stdout


def test_dry_run_prints_alerts_and_sends_nothing(news: Site, tmp_path: Path) -> None:
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=FEEDS)
    dry = run_khabardar(config, tmp_path / "var", "once", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert news.total_received() == 0
    assert "world-leaders → slack" in dry.stdout
    assert "putin" in dry.stdout
    real = run_khabardar(config, tmp_path / "var", "once")
    assert real.returncode == 0, real.stderr
    assert news.total_received() == CHANNEL_COUNT  # the dry run recorded nothing


@pytest.mark.parametrize(
    ("status", "body", "content_type", "kind"),
    [
        (500, b"server error", "text/plain", "answered 500"),
        (200, b"<!DOCTYPE html><html><body><h1>Not a feed</h1></body></html>", "text/html", "HTML page"),
        (200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item><ti", "application/xml", ""),
    ],
)
def test_a_broken_feed_is_reported_and_the_others_still_alert(
    news: Site, tmp_path: Path, status: int, body: bytes, content_type: str, kind: str
) -> None:
    news.serve_page("/feeds/broken.xml", body, status=status, content_type=content_type)
    config = write_config(tmp_path / "khabardar.yaml", news, feeds=[*FEEDS, ("broken", "/feeds/broken.xml")])
    result = run_khabardar(config, tmp_path / "var", "once")
    assert result.returncode == 0, result.stderr
    assert "feed broken:" in result.stdout
    assert kind in result.stdout
    assert {kind: len(posts) for kind, posts in news.received.items()} == dict.fromkeys(news.received, 1)


def test_old_items_of_a_new_feed_are_recorded_without_alerting(site: Site, tmp_path: Path, corpus_dir: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.integration.conftest import SEED_FILE, SEED_TITLE
    from tests.integration.site import article_page, corpus_paragraphs

    site.serve_page("/a/old.html", article_page(SEED_TITLE, corpus_paragraphs(corpus_dir / SEED_FILE)))
    site.serve_feed("/feeds/old.xml", [Item(SEED_TITLE, "/a/old.html", datetime.now(UTC) - timedelta(hours=30))])
    config = write_config(tmp_path / "khabardar.yaml", site, feeds=[("old", "/feeds/old.xml")])
    result = run_khabardar(config, tmp_path / "var", "once")
    assert result.returncode == 0, result.stderr
    assert site.total_received() == 0
    assert "/a/old.html" not in site.page_hits
