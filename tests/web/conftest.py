"""A khabardar web app on a real loopback port, over real Redis or the embedded store, with alerts of our own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from tests.alerts.sample import ALERT, ARTICLE
from tests.conftest import serve_wsgi
from worker.alerts.model import Alert
from worker.metrics.tally import Tally, open_tally
from worker.settings import Settings
from worker.store import Store, open_store
from worker.web.app import WebApp

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
TOKEN = "s3cret-web-token-for-tests"
SLACK_SECRET_PATH = "/services/T0000000/B0000000/abcdefghijklmnopqrstuvwx"
CONFIG = f"""
feeds:
  - {{name: desh, url: "http://127.0.0.1:9/desh.xml"}}
  - {{name: "videsh", url: "http://127.0.0.1:9/videsh.xml"}}
channels:
  desk: {{type: slack, url: "https://hooks.slack.com{SLACK_SECRET_PATH}"}}
  terminal: {{type: console}}
watchlists:
  - name: world-leaders
    channels: [desk, terminal]
    entities:
      - {{id: putin, kind: leader, names: [व्लादिमीर पुतिन, पुतिन]}}
      - {{id: kim-jong-un, kind: leader, names: [किम जोंग उन]}}
"""


@dataclass
class Web:
    url: str
    app: WebApp
    store: Store
    tally: Tally
    settings: Settings

    def get(self, path: str, **kwargs: object) -> requests.Response:
        return requests.get(self.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "khabardar.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def alert(number: int, *, title: str = ARTICLE.title, channel: str = "desk", minutes_ago: int = 0) -> Alert:
    created = datetime.fromtimestamp(time.time() - 60 * minutes_ago, UTC)
    return replace(
        ALERT,
        id=f"{number:032x}",
        channel=channel,
        article=replace(ARTICLE, title=title, source="desh"),
        created_at=created,
    )


def add_alerts(store: Store, alerts: list[Alert]) -> None:
    for one in alerts:
        assert store.outbox_add(one.id, one.to_dict(), one.created_at.timestamp())


def _web(settings: Settings, token: str | None) -> Iterator[Web]:
    app = WebApp(settings, token=token)
    with serve_wsgi(app) as url:
        yield Web(url, app, open_store(settings), open_tally(settings), settings)


@pytest.fixture
def redis_settings(tmp_path: Path, redis_url: str, redis_prefix: str) -> Settings:
    return Settings.from_env(
        {"KHABARDAR_REDIS_URL": redis_url, "KHABARDAR_REDIS_PREFIX": redis_prefix, "KHABARDAR_DATA_DIR": str(tmp_path)},
        config=write_config(tmp_path),
    )


@pytest.fixture
def web(redis_settings: Settings) -> Iterator[Web]:
    """The web app over real Redis, actions enabled with TOKEN."""
    yield from _web(redis_settings, TOKEN)


@pytest.fixture
def embedded_web(tmp_path: Path) -> Iterator[Web]:
    """The web app over the embedded SQLite store, read-only (no token)."""
    settings = Settings.from_env({"KHABARDAR_DATA_DIR": str(tmp_path / "var")}, config=write_config(tmp_path))
    yield from _web(settings, None)


@pytest.fixture
def web_redis_down(tmp_path: Path) -> Iterator[Web]:
    """The web app pointed at a Redis nobody listens on (a closed loopback port)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings.from_env(
        {"KHABARDAR_REDIS_URL": f"redis://127.0.0.1:{port}/0", "KHABARDAR_DATA_DIR": str(tmp_path)},
        config=write_config(tmp_path),
    )
    app = WebApp(settings, token=TOKEN)
    with serve_wsgi(app) as url:
        yield Web(url, app, app.store(), app.tally(), settings)
