"""End to end with stories: one story carried by three loopback outlets (a copy, a copy under another headline
with boilerplate, a rewrite) and another event about the same leader on the same day, polled by a real Celery
worker on real Redis → the webhook gets one alert.created per story, and the copies that come after the first
alert went edit it in place (Discord, Telegram) or reach the webhook as alert.updated."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tasks.app import make_app
from tests.integration.conftest import wait_for, write_config
from tests.integration.site import Item, Site, article_page
from tests.stories.articles import BRIDGE, BRIDGE_TITLE, SUMMIT, SUMMIT_TITLE, paragraphs, respelled
from worker.settings import Settings

pytestmark = pytest.mark.integration

ALERT_TIMEOUT_S = 90.0
QUIET_S = 6.0  # after the expected alerts, how long to watch for an unexpected one
REWRITE = [*paragraphs(BRIDGE)[:2], *paragraphs(BRIDGE)[3:], "स्थानीय लोगों ने पुल बनने पर खुशी जताई।"]
FEEDS = [("jagran", "/feeds/jagran.xml"), ("amar", "/feeds/amar.xml"), ("nbt", "/feeds/nbt.xml")]


def _serve(site: Site) -> None:
    site.serve_page("/jagran/pul.html", article_page(BRIDGE_TITLE, paragraphs(BRIDGE), outlet="जागरण"))
    copy = [*paragraphs(respelled(BRIDGE)), "यह भी पढ़ें: राज्य में बनेंगे चार और पुल"]
    site.serve_page("/amar/ganga.html", article_page("गंगा पर छह लेन का पुल जनता को समर्पित", copy, outlet="अमर"))
    site.serve_page("/nbt/pul.html", article_page("बिहार को मिला नया पुल", REWRITE, outlet="एनबीटी"))
    site.serve_page("/nbt/japan.html", article_page(SUMMIT_TITLE, paragraphs(SUMMIT), outlet="एनबीटी"))
    site.serve_feed("/feeds/jagran.xml", [Item(BRIDGE_TITLE, "/jagran/pul.html")])
    site.serve_feed("/feeds/amar.xml", [Item("गंगा पर छह लेन का पुल", "/amar/ganga.html")])
    site.serve_feed(
        "/feeds/nbt.xml", [Item("बिहार को मिला नया पुल", "/nbt/pul.html"), Item(SUMMIT_TITLE, "/nbt/japan.html")]
    )


def test_three_outlets_of_one_story_and_another_event_give_two_alerts(
    site: Site, tmp_path: Path, worker_env: dict[str, str], start_worker: Any
) -> None:
    _serve(site)
    config = write_config(tmp_path / "khabardar.yaml", site, feeds=FEEDS)
    start_worker(config)
    app = make_app(Settings.from_env({**worker_env, "KHABARDAR_CONFIG": str(config)}))
    for feed, _ in FEEDS:  # all at once: two worker processes may take copies of the story at the same moment
        app.send_task("ingest.poll_feeds", args=[[feed]], queue="poll")

    wait_for(lambda: len(site.received["webhook"]) >= 2, ALERT_TIMEOUT_S, "two alerts on the webhook")
    wait_for(lambda: len(site.page_hits) == 4, ALERT_TIMEOUT_S, "every article to be fetched")
    time.sleep(QUIET_S)

    posts = site.received["webhook"]
    created = [post for post in posts if post["type"] == "alert.created"]
    assert len(created) == 2  # a copy that arrived after its story's alert went adds an alert.updated, no alert
    assert {post["type"] for post in posts} <= {"alert.created", "alert.updated"}
    urls = sorted(post["article"]["url"].removeprefix(site.base) for post in created)
    assert urls[1] == "/nbt/japan.html" and urls[0] in {"/jagran/pul.html", "/amar/ganga.html", "/nbt/pul.html"}
    assert site.total_received() == len(posts)  # the world-leaders channels match none of it


DESK = """\
  - name: india-desk
    channels: [discord, telegram]
    entities:
      - {id: modi, kind: leader, names: [नरेंद्र मोदी, मोदी]}
"""
OTHER_OUTLETS = ("अमर", "एनबीटी")


def _also_in_everywhere(site: Site) -> bool:
    """The webhook's last alert.updated lists both later copies, and Discord's last edit names both outlets."""
    updated = [post for post in site.received["webhook"] if post["type"] == "alert.updated"]
    listed = {copy["url"].removeprefix(site.base) for copy in updated[-1]["also_in"]} if updated else set()
    edits = site.edits["discord"]
    footer = edits[-1][1]["embeds"][0]["footer"]["text"] if edits else ""
    return listed == {"/amar/ganga.html", "/nbt/pul.html"} and all(outlet in footer for outlet in OTHER_OUTLETS)


def test_later_copies_edit_the_first_alert_in_place_and_the_webhook_gets_alert_updated(
    site: Site, tmp_path: Path, worker_env: dict[str, str], start_worker: Any
) -> None:
    _serve(site)
    config = write_config(tmp_path / "khabardar.yaml", site, feeds=FEEDS, extra=DESK)
    start_worker(config)
    app = make_app(Settings.from_env({**worker_env, "KHABARDAR_CONFIG": str(config)}))
    app.send_task("ingest.poll_feeds", args=[["jagran"]], queue="poll")
    first_sent = lambda: all(len(site.received[kind]) == 1 for kind in ("webhook", "discord", "telegram"))  # noqa: E731
    wait_for(first_sent, ALERT_TIMEOUT_S, "the first outlet's alert on every channel")
    app.send_task("ingest.poll_feeds", args=[["amar", "nbt"]], queue="poll")  # the copy, the rewrite, the other event

    wait_for(lambda: _also_in_everywhere(site), ALERT_TIMEOUT_S, "edits listing both later copies")
    time.sleep(QUIET_S)

    posts = site.received["webhook"]
    created = [post for post in posts if post["type"] == "alert.created"]
    updated = [post for post in posts if post["type"] == "alert.updated"]
    assert [post["article"]["url"].removeprefix(site.base) for post in created] == [
        "/jagran/pul.html",
        "/nbt/japan.html",
    ]
    assert len(posts) == len(created) + len(updated) and len(created) == 2 and updated
    assert {post["id"] for post in updated} == {created[0]["id"]}
    assert all(post["article"] == created[0]["article"] for post in updated)  # the article is unchanged
    versions = [len(post["also_in"]) for post in updated]
    assert versions == sorted(set(versions))  # each version once, in order
    assert len(site.received["discord"]) == 2  # the two stories; the copies only edited the first message
    assert {message_id for message_id, _ in site.edits["discord"]} == {"1"}
    assert len(site.received["telegram"]) == 2 and {m for m, _ in site.edits["telegram"]} == {"1"}
    assert all(outlet in site.edits["telegram"][-1][1]["text"] for outlet in OTHER_OUTLETS)
