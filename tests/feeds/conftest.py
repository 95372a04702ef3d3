"""Feed fixtures written for these tests (no corpus text): a small Hindi RSS builder and a loopback canary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

FEED_URL = "https://khabar.example/rss/desh.xml"


def rss(
    items: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>', prolog: str = "", extra: str = ""
) -> bytes:
    """An RSS 2.0 document around ``items``, with optional prolog (DOCTYPE) and channel elements."""
    return (
        f'{head}\n{prolog}\n<rss version="2.0"><channel><title>देश की ख़बरें</title>'
        f"<link>https://khabar.example/desh</link>{extra}{items}</channel></rss>"
    ).encode()


def item(title: str = "संसद में बजट पेश", link: str = "https://khabar.example/desh/budget-123.html", **more: str) -> str:
    fields = "".join(f"<{name}>{value}</{name}>" for name, value in more.items())
    return f"<item><title>{title}</title><link>{link}</link>{fields}</item>"


@pytest.fixture(scope="session")
def _canary_server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as httpserver:
        yield httpserver


@pytest.fixture(scope="session")
def _feed_server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", port=0) as httpserver:
        yield httpserver


@pytest.fixture
def server(_feed_server: HTTPServer) -> Iterator[HTTPServer]:
    """A loopback server for feeds, allowed by the tests that use it."""
    _feed_server.clear()
    yield _feed_server
    _feed_server.clear()


@pytest.fixture
def canary(_canary_server: HTTPServer) -> Iterator[HTTPServer]:
    """A loopback server that documents point at; parsing must never reach it."""
    _canary_server.clear()
    yield _canary_server
    _canary_server.clear()
