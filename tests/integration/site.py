"""A loopback stand-in for the world: feeds, article pages and chat webhooks on one real HTTP server."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

HOOK_PATHS = {
    "webhook": "/hooks/generic",
    "slack": "/hooks/slack",
    "discord": "/hooks/discord",
    "teams": "/hooks/teams",
    "googlechat": "/hooks/googlechat",
    "mattermost": "/hooks/mattermost",
}
TELEGRAM_TOKEN = "123456:TEST-token"
HOOK_SUCCESS = {"teams": 202, "discord": 204}


@dataclass
class Item:
    title: str
    path: str
    published: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(minutes=10))
    summary: str = ""


def rss(items: list[Item], base: str) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(item.title)}</title><link>{base}{item.path}</link>"
        f"<guid>{base}{item.path}</guid><pubDate>{format_datetime(item.published)}</pubDate>"
        f"<description>{html.escape(item.summary)}</description></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>परीक्षण समाचार</title>'
        f"<link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def article_page(title: str, paragraphs: list[str], *, outlet: str = "परीक्षण समाचार") -> bytes:
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        "<!DOCTYPE html><html lang='hi'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)} - {outlet}</title>"
        f"<meta property='og:title' content='{html.escape(title)}'>"
        f"<meta property='og:site_name' content='{outlet}'></head><body>"
        "<nav><a href='/'>होम</a> <a href='/desh'>देश</a> <a href='/videsh'>विदेश</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article>"
        "<footer>कॉपीराइट सर्वाधिकार सुरक्षित</footer></body></html>"
    ).encode()


def _json(body: dict[str, Any]) -> Response:
    return Response(json.dumps(body), 200, content_type="application/json")


def corpus_paragraphs(path: Path) -> list[str]:
    return [block.strip() for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


class Site:
    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.host = f"127.0.0.1:{server.port}"
        self.received: dict[str, list[dict[str, Any]]] = {kind: [] for kind in [*HOOK_PATHS, "telegram"]}
        self.headers: dict[str, list[dict[str, str]]] = {kind: [] for kind in self.received}
        self.page_hits: dict[str, int] = {}
        # messages edited in place: (message id, the new body), in arrival order
        self.edits: dict[str, list[tuple[str, dict[str, Any]]]] = {"discord": [], "telegram": []}
        for kind, path in HOOK_PATHS.items():
            server.expect_request(path, method="POST").respond_with_handler(self._hook(kind))
        server.expect_request(f"/bot{TELEGRAM_TOKEN}/sendMessage", method="POST").respond_with_handler(
            self._hook("telegram")
        )
        discord_edit = re.compile(re.escape(HOOK_PATHS["discord"]) + r"/messages/\w+")
        server.expect_request(discord_edit, method="PATCH").respond_with_handler(self._edit("discord"))
        server.expect_request(f"/bot{TELEGRAM_TOKEN}/editMessageText", method="POST").respond_with_handler(
            self._edit("telegram")
        )

    def _hook(self, kind: str) -> Any:
        def handle(request: Request) -> Response:
            self.received[kind].append(json.loads(request.get_data()))
            self.headers[kind].append(dict(request.headers))
            number = len(self.received[kind])  # the platform's id of the message it made
            if kind == "telegram":
                return _json({"ok": True, "result": {"message_id": number}})
            if kind == "discord" and request.args.get("wait") == "true":
                return _json({"id": str(number), "type": 0})
            return Response("ok" if kind == "slack" else "", HOOK_SUCCESS.get(kind, 200))

        return handle

    def _edit(self, kind: str) -> Any:
        def handle(request: Request) -> Response:
            body = json.loads(request.get_data())
            message_id = str(body.get("message_id")) if kind == "telegram" else request.path.rsplit("/", 1)[1]
            self.edits[kind].append((message_id, body))
            return _json(
                {"ok": True, "result": {"message_id": message_id}} if kind == "telegram" else {"id": message_id}
            )

        return handle

    def serve_feed(self, path: str, items: list[Item], *, etag: str | None = None) -> None:
        body = rss(items, self.base)

        def handle(request: Request) -> Response:
            if etag and request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            headers = {"ETag": etag} if etag else {}
            return Response(body, 200, headers=headers, content_type="application/rss+xml; charset=utf-8")

        self.server.expect_request(path).respond_with_handler(handle)

    def serve_page(self, path: str, body: bytes, *, status: int = 200, content_type: str = "text/html") -> None:
        def handle(_request: Request) -> Response:
            self.page_hits[path] = self.page_hits.get(path, 0) + 1
            return Response(body, status, content_type=f"{content_type}; charset=utf-8")

        self.server.expect_request(path).respond_with_handler(handle)

    def channels_yaml(self) -> str:
        lines = [f'  {kind}: {{type: {kind}, url: "{self.base}{path}"}}' for kind, path in HOOK_PATHS.items()]
        lines.append(
            f'  telegram: {{type: telegram, token: "{TELEGRAM_TOKEN}", chat_id: "-100123", api_url: "{self.base}"}}'
        )
        return "\n".join(lines)

    def total_received(self) -> int:
        return sum(len(posts) for posts in self.received.values())
