"""A webhook's URL is its password: errors about a POST name the host alone, never the path or the query."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from worker.errors import FetchError
from worker.http import FetchTooLargeError, HttpClient, origin, safe_url

CANARY = "CANARY-post-secret-91b7"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://hooks.slack.com/services/T0/B0/{CANARY}", "https://hooks.slack.com"),
        (f"https://discord.com/api/webhooks/123/{CANARY}", "https://discord.com"),
        (
            f"https://x.logic.azure.com:443/workflows/1/triggers/manual/paths/invoke?sig={CANARY}",
            "https://x.logic.azure.com:443",
        ),
        (f"https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token={CANARY}", "https://chat.googleapis.com"),
        (f"https://mm.example.org/hooks/{CANARY}", "https://mm.example.org"),
        (f"https://user:{CANARY}@example.org/hook", "https://example.org"),
        (f"https://api.telegram.org/bot{CANARY}/sendMessage", "https://api.telegram.org"),
        ("http://[::1", "(an invalid URL)"),
    ],
)
def test_a_url_we_post_to_is_shown_as_its_origin(url: str, shown: str) -> None:
    assert origin(url) == shown


def test_a_url_we_fetch_keeps_its_public_path_but_not_its_query() -> None:
    assert safe_url(f"https://www.jagran.com/rss/world.xml?token={CANARY}") == "https://www.jagran.com/rss/world.xml"


@pytest.fixture
def hang_up() -> Iterator[int]:
    """A server that reads the request and closes the connection without answering."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)  # so the loop sees the stop flag
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join(5)
    listener.close()


def test_a_post_the_server_hung_up_on_names_the_host_only(hang_up: int) -> None:
    client = HttpClient(allow_hosts=[f"127.0.0.1:{hang_up}"])
    with pytest.raises(FetchError) as caught:
        client.post_json(f"http://127.0.0.1:{hang_up}/api/webhooks/1/{CANARY}?wait={CANARY}", {"content": "x"})
    assert f"127.0.0.1:{hang_up}" in str(caught.value)
    assert CANARY not in str(caught.value) and "webhooks" not in str(caught.value)


def test_a_post_answered_with_too_much_names_the_host_only(httpserver: HTTPServer) -> None:
    path = f"/hooks/{CANARY}"
    httpserver.expect_request(path, method="POST").respond_with_data("x" * 300_000)
    client = HttpClient(allow_hosts=[f"127.0.0.1:{httpserver.port}"])
    with pytest.raises(FetchError) as caught:
        client.post_json(httpserver.url_for(path), {"text": "x"})
    assert isinstance(caught.value, FetchTooLargeError)
    assert CANARY not in str(caught.value) and "hooks" not in str(caught.value)
