"""Pipeline fixtures: both stores, and an engine on a config written for a loopback feed server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from worker.pipeline import Engine
from worker.settings import Settings
from worker.store import RedisStore, SqliteStore, Store


@pytest.fixture(params=["sqlite", "redis"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens the same store again each call, as a second beat or worker process would."""
    opened: list[Store] = []

    def open_store() -> Store:
        if request.param == "sqlite":
            store: Store = SqliteStore(tmp_path / "state")
        else:
            store = RedisStore(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: Callable[[], Store]) -> Store:
    return store_factory()


EngineFactory = Callable[..., Engine]


@pytest.fixture
def make_engine(tmp_path: Path, httpserver: HTTPServer) -> EngineFactory:
    """An engine whose config lists ``feeds`` (name → path on the loopback server); ``ops=True`` adds an ops
    webhook at /ops on the same server."""

    def make(feeds: dict[str, str], *, store: Store | None = None, ops: bool = False, interval: str = "1m") -> Engine:
        lines = [
            f'  - {{name: {name}, url: "{httpserver.url_for(path)}", interval: {interval}}}'
            for name, path in feeds.items()
        ]
        config = "feeds:\n" + "\n".join(lines) + f'\nfetch:\n  allow_hosts: ["127.0.0.1:{httpserver.port}"]\n'
        if ops:
            config += f'channels:\n  desk: {{type: webhook, url: "{httpserver.url_for("/ops")}"}}\nops: desk\n'
        path = tmp_path / "khabardar.yaml"
        path.write_text(config, encoding="utf-8")
        settings = Settings(path, tmp_path / "var", None, "khabardar", "INFO")
        return Engine(settings, store=store or SqliteStore(tmp_path / "var"))

    return make
