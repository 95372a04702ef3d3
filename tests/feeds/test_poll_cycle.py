"""The feed functions composed the way a poll uses them, against a loopback server: conditional GET, a changing
ETag on an unchanged feed, HTML instead of a feed, a permanent move and a 410, each announced once."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_httpserver import HTTPServer

from tests.feeds.conftest import item, rss
from worker.errors import FeedError, FetchError
from worker.feeds import (
    announcement,
    is_unchanged,
    next_check_at,
    not_modified_share,
    parse_feed,
    record_error,
    record_success,
    request_headers,
)
from worker.http import FEED_MAX_BYTES, HttpClient

START = datetime(2026, 7, 23, 6, 0, tzinfo=UTC)
FEED = rss(item() + item(title="मौसम: दिल्ली में बारिश", link="https://khabar.example/desh/weather-9.html"))


@dataclass(frozen=True)
class Feed:
    interval: timedelta = timedelta(minutes=5)


def poll(client: HttpClient, url: str, state: dict[str, Any], now: datetime) -> tuple[dict[str, Any], str | None]:
    """One poll as the poll task is meant to run it: fetch, parse unless unchanged, record, announce."""
    try:
        response = client.get(url, headers=request_headers(state), max_bytes=FEED_MAX_BYTES)
        moved = response.permanent_redirect
        if response.status == 304 or is_unchanged(state, response.body):  # nothing new: no parsing
            body = response.body if response.status != 304 else None
            state = record_success(
                state, now, status=response.status, headers=response.headers, body=body, moved_to=moved
            )
        else:
            document = parse_feed(response.body, url=response.url, content_type=response.content_type)
            published = [entry.published for entry in document.entries]
            state = record_success(
                state,
                now,
                status=response.status,
                headers=response.headers,
                body=response.body,
                new_entries=len(document.entries),
                published=published,
                ttl_s=document.ttl_s,
                moved_to=moved,
            )
    except (FetchError, FeedError) as error:
        state = record_error(state, now, error)
    return announcement(state, now)


def test_a_feed_through_its_life(server: HTTPServer) -> None:
    client = HttpClient(allow_hosts=[f"127.0.0.1:{server.port}"])
    url = server.url_for("/rss.xml")
    state: dict[str, Any] = {}
    said: list[str | None] = []

    def step(minute: int) -> None:
        nonlocal state
        state, message = poll(client, url, state, START + timedelta(minutes=minute))
        said.append(message)
        server.clear()

    server.expect_request("/rss.xml").respond_with_data(FEED, headers={"ETag": '"a"'})
    step(0)
    assert state["new_entries_total"] == 2 and state["etag"] == '"a"'

    server.expect_request("/rss.xml", headers={"If-None-Match": '"a"'}).respond_with_data("", status=304)
    step(5)
    assert not_modified_share(state) == 0.5

    server.expect_request("/rss.xml").respond_with_data(FEED, headers={"ETag": '"b"'})  # same bytes, new ETag
    step(10)
    assert state["unchanged"] == 1 and state["etag"] == '"b"' and state["new_entries_total"] == 2

    for minute in (15, 20, 25):
        server.expect_request("/rss.xml").respond_with_data("<!DOCTYPE html><html></html>", content_type="text/html")
        step(minute)
    assert state["last_error_kind"] == "not-a-feed"

    server.expect_request("/rss.xml").respond_with_data("", status=301, headers={"Location": "/new.xml"})
    server.expect_request("/new.xml").respond_with_data(FEED)
    step(30)
    assert state["moved_to"] == server.url_for("/new.xml")

    server.expect_request("/rss.xml").respond_with_data("", status=410)
    step(35)
    assert next_check_at(state, Feed(), START, random.Random(1)) == START + timedelta(hours=6)

    assert [message is not None for message in said] == [False, False, False, False, True, False, True, True]
    assert said[4] and "HTML" in said[4]
    assert said[6] and server.url_for("/new.xml") in said[6]
    assert said[7] and "410" in said[7]
