"""HttpClient against loopback servers: the canary is never reached, limits hold, statuses map to errors."""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.http.conftest import LOOPBACK, RawServer, StubResolver
from worker.errors import BlockedURLError, FetchError
from worker.http import FEED_MAX_BYTES, HttpClient
from worker.http.errors import FetchTimeoutError, FetchTooLargeError


def client_for(server: HTTPServer, resolver: StubResolver | None = None, **options: float) -> HttpClient:
    return HttpClient(allow_hosts=[f"{LOOPBACK}:{server.port}"], resolver=resolver or StubResolver(), **options)


CANARY_URLS = [
    "http://127.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f000001:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::1]:{port}/",
    "http://canary.example:{port}/",
    "http://user:pw@127.0.0.1:{port}/",
]


@pytest.mark.parametrize("template", CANARY_URLS)
def test_canary_receives_nothing_when_asked_directly(
    template: str, server: HTTPServer, canary: HTTPServer, resolver: StubResolver
) -> None:
    resolver.table["canary.example"] = [LOOPBACK]
    with pytest.raises(BlockedURLError):
        client_for(server, resolver).get(template.format(port=canary.port))
    assert canary.log == []


REDIRECT_ONLY_URLS = [
    "//127.0.0.1:{port}/",  # scheme-relative
    "http://feeds.example\\@127.0.0.1:{port}/",  # the host is what follows the @, for us and for the socket
    "gopher://127.0.0.1:{port}/",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("template", [*CANARY_URLS, *REDIRECT_ONLY_URLS])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_canary_receives_nothing_when_a_redirect_points_at_it(
    template: str, status: int, server: HTTPServer, canary: HTTPServer, resolver: StubResolver
) -> None:
    resolver.table["canary.example"] = [LOOPBACK]
    location = template.format(port=canary.port)
    server.expect_request("/feed").respond_with_data("", status=status, headers={"Location": location})
    with pytest.raises(BlockedURLError):
        client_for(server, resolver).get(server.url_for("/feed"))
    assert canary.log == []


def test_canary_receives_nothing_after_a_chain_of_allowed_redirects(server: HTTPServer, canary: HTTPServer) -> None:
    for hop in range(3):
        server.expect_request(f"/hop{hop}").respond_with_data("", status=302, headers={"Location": f"/hop{hop + 1}"})
    server.expect_request("/hop3").respond_with_data("", status=307, headers={"Location": canary.url_for("/")})
    with pytest.raises(BlockedURLError):
        client_for(server).get(server.url_for("/hop0"))
    assert canary.log == []


def test_canary_receives_nothing_from_a_webhook_post(server: HTTPServer, canary: HTTPServer) -> None:
    with pytest.raises(BlockedURLError):
        client_for(server).post_json(canary.url_for("/hook"), {"text": "नमस्ते"})
    assert canary.log == []


def test_connection_goes_to_the_checked_address_without_a_second_lookup(
    server: HTTPServer, no_real_name_lookups: list[str]
) -> None:
    once = iter([[LOOPBACK]])
    answers: list[str] = []

    def resolve_once(host: str, port: int) -> list[str]:
        answers.append(host)
        return next(once)  # a second lookup (a rebinding window) would raise StopIteration

    server.expect_request("/feed").respond_with_data("<rss/>")
    client = HttpClient(allow_hosts=[f"{LOOPBACK}:{server.port}"], resolver=resolve_once)
    response = client.get(f"http://feeds.example:{server.port}/feed")
    assert response.body == b"<rss/>"
    assert answers == ["feeds.example"] and no_real_name_lookups == []
    assert server.log[0][0].headers["Host"] == f"feeds.example:{server.port}"


def test_the_deadline_covers_the_whole_redirect_chain(server: HTTPServer) -> None:
    def slow_hop(request: Request) -> Response:
        time.sleep(0.4)
        hop = int(request.path.removeprefix("/slow"))
        return Response("", status=302, headers={"Location": f"/slow{hop + 1}"})

    for hop in range(6):
        server.expect_request(f"/slow{hop}").respond_with_handler(slow_hop)
    with pytest.raises(FetchTimeoutError):
        client_for(server).get(server.url_for("/slow0"), deadline_s=1.0)  # each hop is well under it


def test_five_redirects_are_followed_and_the_sixth_is_refused(server: HTTPServer) -> None:
    for hop in range(6):
        server.expect_request(f"/r{hop}").respond_with_data("", status=302, headers={"Location": f"/r{hop + 1}"})
    server.expect_request("/r5").respond_with_data("", status=302, headers={"Location": "/r6"})
    server.expect_request("/r6").respond_with_data("done")
    client = client_for(server)
    assert client.get(server.url_for("/r1")).body == b"done"
    with pytest.raises(FetchError, match="more than 5"):
        client.get(server.url_for("/r0"))


@pytest.mark.parametrize(
    ("statuses", "moved"),
    [
        ((301,), "/b"),
        ((308, 301), "/c"),
        ((301, 302), "/b"),  # the temporary hop is not where the feed lives now
        ((302, 301), None),
    ],
)
def test_permanent_redirect_reports_where_the_unbroken_permanent_chain_led(
    statuses: tuple[int, ...], moved: str | None, server: HTTPServer
) -> None:
    paths = ["/a", "/b", "/c"]
    for index, status in enumerate(statuses):
        server.expect_request(paths[index]).respond_with_data("", status=status, headers={"Location": paths[index + 1]})
    server.expect_request(paths[len(statuses)]).respond_with_data("<rss/>")
    response = client_for(server).get(server.url_for("/a"))
    assert response.url == server.url_for(paths[len(statuses)])
    assert response.permanent_redirect == (server.url_for(moved) if moved else None)


@pytest.mark.parametrize(
    ("status", "headers", "retry_after_s"),
    [
        (404, {}, None),
        (410, {}, None),
        (429, {"Retry-After": "120"}, 120.0),
        (503, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: retry now
        (500, {"Retry-After": "soon"}, None),
        (300, {}, None),  # Multiple Choices: neither content nor a redirect we can follow
    ],
)
def test_error_status_raises_with_status_and_retry_after(
    status: int, headers: dict[str, str], retry_after_s: float | None, server: HTTPServer
) -> None:
    server.expect_request("/feed").respond_with_data("nope", status=status, headers=headers)
    with pytest.raises(FetchError) as caught:
        client_for(server).get(server.url_for("/feed"))
    assert (caught.value.status, caught.value.retry_after_s) == (status, retry_after_s)


def test_not_modified_returns_with_an_empty_body(server: HTTPServer) -> None:
    server.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    response = client_for(server).get(server.url_for("/feed"), headers={"If-None-Match": '"v1"'})
    assert (response.status, response.body) == (304, b"")


def test_error_messages_carry_no_query_string_or_credentials(server: HTTPServer) -> None:
    server.expect_request("/hook").respond_with_data("", status=404)
    url = f"http://bob:hunter2@{LOOPBACK}:{server.port}/hook?token=SECRET123"
    with pytest.raises(FetchError) as caught:
        client_for(server).get(url)
    assert "SECRET123" not in str(caught.value) and "hunter2" not in str(caught.value)
    assert "Authorization" not in server.log[0][0].headers


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send it
        ("identity", lambda data: data),
    ],
)
def test_compressed_body_is_decoded(encoding: str, compress: Callable[[bytes], bytes], server: HTTPServer) -> None:
    text = "<rss><channel><title>ताज़ा ख़बरें</title></channel></rss>".encode()
    server.expect_request("/feed").respond_with_data(compress(text), headers={"Content-Encoding": encoding})
    assert client_for(server).get(server.url_for("/feed")).body == text


def test_unsupported_content_encoding_is_a_fetch_error(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(b"\x1b\x00", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="Content-Encoding"):
        client_for(server).get(server.url_for("/feed"))


@pytest.mark.parametrize(("size", "fits"), [(1000, True), (1001, False)])
def test_size_cap_is_exact(size: int, fits: bool, server: HTTPServer) -> None:
    server.expect_request("/page").respond_with_data(b"x" * size)
    client = client_for(server)
    if fits:
        assert len(client.get(server.url_for("/page"), max_bytes=1000).body) == size
    else:
        with pytest.raises(FetchTooLargeError):
            client.get(server.url_for("/page"), max_bytes=1000)


def test_size_cap_applies_after_decompression(server: HTTPServer) -> None:
    body = gzip.compress(b" " * 5000)
    server.expect_request("/page").respond_with_data(body, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchTooLargeError):
        client_for(server).get(server.url_for("/page"), max_bytes=4096)


def test_webhook_post_sends_utf8_json_and_returns_any_status(server: HTTPServer) -> None:
    server.expect_request("/hook", method="POST").respond_with_data('{"ok": false}', status=500)
    response = client_for(server).post_json(server.url_for("/hook"), {"text": "पुतिन"})
    assert (response.status, response.json()) == (500, {"ok": False})
    request = server.log[0][0]
    assert request.get_data() == json.dumps({"text": "पुतिन"}, ensure_ascii=False).encode()
    assert request.headers["Content-Type"].startswith("application/json")


def test_hindi_path_is_percent_encoded_on_the_wire(server: HTTPServer) -> None:
    server.expect_request("/देश/ताज़ा-ख़बर").respond_with_data("ok")
    assert client_for(server).get(server.url_for("/देश/ताज़ा-ख़बर")).body == b"ok"


def test_no_cookies_or_proxy_settings_leak_between_requests(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", headers={"Set-Cookie": "session=abc"})
    server.expect_request("/b").respond_with_data("")
    client = client_for(server)
    client.get(server.url_for("/a"))
    client.get(server.url_for("/b"))
    assert "Cookie" not in server.log[1][0].headers


def test_feed_cap_allows_a_large_real_feed(server: HTTPServer) -> None:
    body = b"<rss>" + b"a" * (FEED_MAX_BYTES - 20) + b"</rss>"
    server.expect_request("/feed").respond_with_data(body)
    assert len(client_for(server).get(server.url_for("/feed"), max_bytes=FEED_MAX_BYTES).body) == len(body)


def test_raw_server_fixture_answers_http(raw_server: Callable[..., RawServer]) -> None:
    """Guards the fixture the misbehaving-peer tests rely on: a well-behaved answer reads fine."""

    def handler(conn: object) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")  # type: ignore[attr-defined]

    raw = raw_server(handler)
    client = HttpClient(allow_hosts=[f"{LOOPBACK}:{raw.port}"])
    assert client.get(f"http://{LOOPBACK}:{raw.port}/").body == b"ok"
