"""Article identity: one story, however a feed spells its link, is one key."""

from __future__ import annotations

import pytest

from worker.feeds.links import article_key, normalize_link, without_tracking

SAME_STORY = [
    "https://www.khabar.example/desh/budget-123.html",
    "http://khabar.example/desh/budget-123.html",
    "https://KHABAR.example:443/desh/budget-123.html/",
    "https://khabar.example/desh/budget-123.html#comments",
    "https://khabar.example/desh/budget-123.html?utm_source=rss&utm_medium=feed",
    "https://khabar.example/desh/budget-123.html?fbclid=abc",
    " https://khabar.example/desh/budget-123.html\n",
]


@pytest.mark.parametrize("link", SAME_STORY)
def test_spellings_of_one_link_normalize_alike(link: str) -> None:
    assert normalize_link(link) == "https://khabar.example/desh/budget-123.html"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "https://khabar.example/देश/बजट",
            "https://khabar.example/%E0%A4%A6%E0%A5%87%E0%A4%B6/%E0%A4%AC%E0%A4%9C%E0%A4%9F",
        ),
        ("https://khabar.example/%e0%a4%a6", "https://khabar.example/%E0%A4%A6"),
        ("https://khabar.example/a?id=5&lang=hi", "https://khabar.example/a?lang=hi&id=5"),
    ],
)
def test_raw_and_escaped_hindi_paths_are_one_link(first: str, second: str) -> None:
    assert normalize_link(first) == normalize_link(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://khabar.example/a?id=5", "https://khabar.example/a?id=6"),
        ("https://khabar.example/Desh/a", "https://khabar.example/desh/a"),  # paths are case-sensitive
        ("https://khabar.example:8443/a", "https://khabar.example/a"),
        ("https://khabar.example/a", "https://other.example/a"),
    ],
)
def test_different_stories_stay_different(first: str, second: str) -> None:
    assert normalize_link(first) != normalize_link(second)


@pytest.mark.parametrize(
    ("link", "guid", "key"),
    [
        ("https://khabar.example/a", "id-1", "https://khabar.example/a"),
        (None, " id-1 ", "guid:id-1"),
        ("", "id-1", "guid:id-1"),
    ],
)
def test_article_key_prefers_the_link_then_the_guid(link: str | None, guid: str | None, key: str) -> None:
    assert article_key(link=link, guid=guid) == key


def test_an_item_without_link_or_guid_has_no_identity() -> None:
    with pytest.raises(ValueError):
        article_key(link=None, guid=None)


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://khabar.example/a/1.html?utm_source=rss", "https://khabar.example/a/1.html"),
        ("https://khabar.example/a/1.html?id=7&utm_medium=feed&fbclid=x", "https://khabar.example/a/1.html?id=7"),
        ("https://Khabar.example/a/%E0%A4%95.html?id=7", "https://Khabar.example/a/%E0%A4%95.html?id=7"),
        ("https://khabar.example/a/1.html#top", "https://khabar.example/a/1.html#top"),
    ],
)
def test_an_alert_shows_the_link_as_published_without_tracking(link: str, shown: str) -> None:
    assert without_tracking(link) == shown
