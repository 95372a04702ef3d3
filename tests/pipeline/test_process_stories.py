"""Processing articles with stories and prominence: copies fold into the first alert, prominence decides."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.stories.articles import BRIDGE, BRIDGE_TITLE, SUMMIT, SUMMIT_TITLE, respelled
from worker.alerts.model import Alert
from worker.pipeline import Engine
from worker.pipeline.once import run_once
from worker.pipeline.poll import ArticleJob
from worker.pipeline.process import process_article
from worker.settings import Settings
from worker.store import SqliteStore
from worker.stories.sqlite_index import STORIES_FILE

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
WATCHLIST = """\
channels:
  desk: {{type: console}}
  hook: {{type: console}}
fetch:
  allow_hosts: ["127.0.0.1:{port}"]
watchlists:
  - name: leaders
    channels: [desk, hook]
    stories: {stories}
{prominence}    entities:
      - id: modi
        kind: leader
        names: [नरेंद्र मोदी, मोदी]
      - id: japan
        kind: topic
        names: [जापान]
"""


def _engine(
    tmp_path: Path, httpserver: HTTPServer, *, stories: str = "fold", prominence: str = "", feeds: str = ""
) -> Engine:
    path = tmp_path / "khabardar.yaml"
    config = WATCHLIST.format(port=httpserver.port, stories=stories, prominence=prominence)
    path.write_text(feeds + config, encoding="utf-8")
    return Engine(Settings(path, tmp_path / "var", None, "khabardar", "INFO"), store=SqliteStore(tmp_path / "var"))


def _page(httpserver: HTTPServer, path: str, title: str, text: str) -> ArticleJob:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    body = f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>{html.escape(title)}</h1>"
    page = body + paragraphs + "</article></body></html>"
    httpserver.expect_request(path).respond_with_data(page, content_type="text/html")
    return ArticleJob("feed", httpserver.url_for(path), httpserver.url_for(path), title, "", NOW.isoformat())


def _process(engine: Engine, *jobs: ArticleJob) -> list[list[Alert]]:
    return [process_article(engine, job, NOW) for job in jobs]


def test_a_copy_in_another_outlet_adds_no_second_alert_and_the_first_records_its_story(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    engine = _engine(tmp_path, httpserver)
    first = _page(httpserver, "/jagran/bridge", BRIDGE_TITLE, BRIDGE)
    copy = _page(httpserver, "/amarujala/pul", "गंगा पर छह लेन का पुल जनता को समर्पित", respelled(BRIDGE))
    other = _page(httpserver, "/nbt/japan", SUMMIT_TITLE, SUMMIT)
    created = _process(engine, first, copy, other)
    assert [len(alerts) for alerts in created] == [2, 0, 2]
    assert {alert.story for alert in created[0]} == {first.key}
    assert {alert.story for alert in created[2]} == {other.key}
    for alert in created[0]:  # the copy is remembered for each alert it folded into, for its "also in"
        assert [update["url"] for update in engine.stories().updates(alert.id, NOW.timestamp())] == [copy.url]
    assert engine.stories().updates(created[2][0].id, NOW.timestamp()) == []


def test_with_stories_every_each_copy_alerts(tmp_path: Path, httpserver: HTTPServer) -> None:
    engine = _engine(tmp_path, httpserver, stories="every")
    first = _page(httpserver, "/jagran/bridge", BRIDGE_TITLE, BRIDGE)
    copy = _page(httpserver, "/amarujala/pul", "गंगा पर छह लेन का पुल जनता को समर्पित", respelled(BRIDGE))
    created = _process(engine, first, copy)
    assert [len(alerts) for alerts in created] == [2, 2]
    assert {alert.story for alert in created[1]} == {first.key}


@pytest.mark.parametrize(
    ("rule", "entities"),
    [
        ("", {"modi": "", "japan": ""}),
        ("    prominence: {in: [title]}\n", {"japan": "title"}),
        ("    prominence: {in: [title, lede]}\n", {"modi": "lede", "japan": "title"}),
        ("    prominence: {min_mentions: 3}\n", {"japan": "title"}),  # the most prominent place is named
    ],
)
def test_prominence_keeps_the_entities_named_where_the_rule_says_and_says_where(
    tmp_path: Path, httpserver: HTTPServer, rule: str, entities: dict[str, str]
) -> None:
    engine = _engine(tmp_path, httpserver, prominence=rule)
    [alerts] = _process(engine, _page(httpserver, "/nbt/japan", SUMMIT_TITLE, SUMMIT))
    assert {match.entity: match.where for match in alerts[0].matches} == entities


def test_the_first_article_processed_again_is_not_recorded_as_an_update_of_itself(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    engine = _engine(tmp_path, httpserver)
    first = _page(httpserver, "/jagran/bridge", BRIDGE_TITLE, BRIDGE)
    created = _process(engine, first, first)
    assert [len(alerts) for alerts in created] == [2, 0]
    assert engine.stories().updates(created[0][0].id, NOW.timestamp()) == []


def test_a_dry_run_assigns_stories_in_memory_and_shows_what_would_fold(tmp_path: Path, httpserver: HTTPServer) -> None:
    first = _page(httpserver, "/jagran/bridge", BRIDGE_TITLE, BRIDGE)
    copy = _page(httpserver, "/amarujala/pul", "गंगा पर छह लेन का पुल जनता को समर्पित", respelled(BRIDGE))
    other = _page(httpserver, "/nbt/japan", SUMMIT_TITLE, SUMMIT)
    engine = _engine(tmp_path, httpserver, feeds=_feed(httpserver, first, copy, other))
    report = run_once(engine, dry_run=True)
    [fold] = report.folds
    assert (fold.title, fold.story_title) == (copy.title, first.title)
    assert fold.article.endswith("/amarujala/pul") and fold.story.endswith("/jagran/bridge")
    stories = [alert.story.rsplit("/", 1)[-1] for alert in report.alerts]
    assert stories == ["bridge", "bridge", "japan", "japan"]  # each story's alert once, as the pipeline records it
    assert not (tmp_path / "var" / STORIES_FILE).exists()  # the shared index is not written
    assert engine.store.outbox_counts()["pending"] == 0


def _feed(httpserver: HTTPServer, *jobs: ArticleJob) -> str:
    """The config lines of one feed listing ``jobs``, published now."""
    items = "".join(
        f"<item><title>{html.escape(job.title)}</title><link>{job.url}</link>"
        f"<pubDate>{format_datetime(datetime.now(UTC))}</pubDate></item>"
        for job in jobs
    )
    feed = (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>desk</title>{items}</channel></rss>'
    )
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    return f'feeds:\n  - {{name: feed, url: "{httpserver.url_for("/feed.xml")}"}}\n'
