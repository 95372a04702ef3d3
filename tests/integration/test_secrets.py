"""No secret in logs: a whole flow (feed → Celery worker on Redis → every platform) with a canary in every webhook
URL, query key, bot token and signing secret, at DEBUG level, and every platform failing once with an error page
that repeats the URL it was posted to. The worker's log and every Redis key and value under the test's prefix
(Celery's messages decoded) must hold none of the canaries."""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.app import make_app
from tests.integration.conftest import wait_for, write_config
from tests.integration.site import Item, Site, article_page
from worker.settings import Settings
from worker.store import RedisStore

pytestmark = pytest.mark.integration

FLOW_TIMEOUT_S = 90.0
TITLE = "पुतिन और किम जोंग उन की मुलाकात पर दुनिया की नज़र"
PARAGRAPHS = [
    "रूस के राष्ट्रपति व्लादिमीर पुतिन ने उत्तर कोरिया के नेता किम जोंग उन से मुलाकात की।",
    "दोनों नेताओं के बीच परमाणु मुद्दे पर वार्ता हुई और कई समझौतों पर दस्तखत हुए।",
]
KOMBU_BODY = re.compile(r'"body":\s*"([A-Za-z0-9+/=]+)"')


class CanarySite(Site):
    """The loopback site, with each platform's secret parts made of canaries; the first POST to each platform is
    answered 500 with an error page that repeats the full URL, as some servers do."""

    def __init__(self, server: HTTPServer, canary: str) -> None:
        super().__init__(server)
        self.secrets = {
            name: f"{canary}{name}"
            for name in ("slack", "discord", "teams", "gkey", "gtoken", "mattermost", "webhook", "signing", "bot")
        }
        self.telegram_token = f"777000:{self.secrets['bot']}"
        self.paths = {
            "slack": f"/services/T0/B0/{self.secrets['slack']}",
            "discord": f"/api/webhooks/42/{self.secrets['discord']}",
            "teams": f"/workflows/7/triggers/manual/paths/invoke?api-version=1&sig={self.secrets['teams']}",
            "googlechat": f"/v1/spaces/AAA/messages?key={self.secrets['gkey']}&token={self.secrets['gtoken']}",
            "mattermost": f"/hooks/{self.secrets['mattermost']}",
            "webhook": f"/receive/{self.secrets['webhook']}",
            "telegram": f"/bot{self.telegram_token}/sendMessage",
        }
        self.failed: dict[str, int] = dict.fromkeys(self.paths, 0)
        for kind, path in self.paths.items():
            server.expect_request(path.split("?")[0], method="POST").respond_with_handler(self._fail_once(kind))

    def _fail_once(self, kind: str) -> Any:
        succeed = self._hook(kind)

        def handle(request: Request) -> Response:
            if self.failed[kind]:
                return succeed(request)
            self.failed[kind] += 1
            echo = f"internal error while handling POST {request.url}"
            if kind == "telegram":
                body = json.dumps({"ok": False, "error_code": 500, "description": echo})
                return Response(body, 500, content_type="application/json")
            return Response(echo, 500, content_type="text/plain")

        return handle

    def channels_yaml(self) -> str:
        lines = [
            f'  {kind}: {{type: {kind}, url: "{self.base}{path}"}}'
            for kind, path in self.paths.items()
            if kind not in ("webhook", "telegram")
        ]
        lines.append(
            f'  webhook: {{type: webhook, url: "{self.base}{self.paths["webhook"]}", '
            f'secret: "{self.secrets["signing"]}"}}'
        )
        lines.append(
            f'  telegram: {{type: telegram, token: "{self.telegram_token}", chat_id: "-100123", '
            f'api_url: "{self.base}"}}'
        )
        return "\n".join(lines)


def redis_text(url: str, prefix: str) -> str:
    """Every key under ``prefix`` and every value in it, with Celery's base64 message bodies decoded."""
    client = redis.Redis.from_url(url)
    parts: list[bytes] = []
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        parts.append(key)
        parts.extend(_values(client, key))
    client.close()
    text = "\n".join(part.decode("utf-8", errors="replace") for part in parts)
    return text + "\n" + "\n".join(_decoded(body) for body in KOMBU_BODY.findall(text))


def _values(client: redis.Redis, key: bytes) -> list[bytes]:
    kind = client.type(key)
    if kind == b"string":
        return [client.get(key) or b""]
    if kind == b"hash":
        return [part for pair in client.hgetall(key).items() for part in pair]
    if kind == b"list":
        return list(client.lrange(key, 0, -1))
    if kind == b"set":
        return list(client.smembers(key))
    if kind == b"zset":
        return [member for member, _score in client.zrange(key, 0, -1, withscores=True)]
    return []


def _decoded(body: str) -> str:
    try:
        return base64.b64decode(body, validate=True).decode("utf-8", errors="replace")
    except binascii.Error:
        return ""


def test_no_secret_reaches_the_log_or_redis(
    httpserver: HTTPServer,
    tmp_path: Path,
    worker_env: dict[str, str],
    start_worker: Any,
    redis_url: str,
    redis_prefix: str,
) -> None:
    site = CanarySite(httpserver, f"CANARY{uuid.uuid4().hex[:10]}")
    site.serve_page("/a/mulakat.html", article_page(TITLE, PARAGRAPHS))
    site.serve_feed("/feeds/world.xml", [Item(TITLE, "/a/mulakat.html")])
    config = write_config(tmp_path / "khabardar.yaml", site, feeds=[("world", "/feeds/world.xml")])
    log_path = start_worker(config)
    store = RedisStore(redis_url, prefix=redis_prefix)
    app = make_app(Settings.from_env({**worker_env, "KHABARDAR_CONFIG": str(config)}))
    app.send_task("ingest.poll_feeds", args=[["world"]], queue="poll")

    wait_for(lambda: all(site.failed.values()), FLOW_TIMEOUT_S, "a failed first POST on every platform")
    while_retrying = redis_text(redis_url, redis_prefix)  # the retries wait as Celery countdowns now
    wait_for(lambda: store.outbox_counts()["sent"] == len(site.paths), FLOW_TIMEOUT_S, "every alert to be sent")

    log = log_path.read_text(encoding="utf-8", errors="replace")
    haystacks = {
        "worker log": log,
        "redis while retrying": while_retrying,
        "redis after": redis_text(redis_url, redis_prefix),
    }
    payloads = json.dumps([site.received, site.headers], ensure_ascii=False)
    assert log.count("answered 500") >= len(site.paths)  # every failure was logged, so the errors were searched
    assert "alerts.deliver" in while_retrying  # Celery's messages were there, and decoded
    leaks = [
        f"{name} in {where}"
        for name, secret in site.secrets.items()
        for where, text in {**haystacks, "what the platforms received": payloads}.items()
        if secret in text
    ]
    assert leaks == []
