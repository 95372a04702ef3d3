"""Fixtures shared by every test: the shared corpus, which lives beside the repository, not in it."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from worker.store import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


def khabardar_env(data_dir: Path, config: Path | None = None) -> dict[str, str]:
    """The environment for a khabardar subprocess: this one's, without any KHABARDAR_ setting of the machine's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KHABARDAR_")}
    env["KHABARDAR_DATA_DIR"] = str(data_dir)
    if config is not None:
        env["KHABARDAR_CONFIG"] = str(config)
    return env


@contextlib.contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve the WSGI ``app`` on a free loopback port, a thread per request (one that stalls holds no other);
    yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real Hindi pages and feeds; tests that need it skip where it is absent, never in CI."""
    if not CORPUS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing beside the repository ({CORPUS_DIR.name}/); CI needs it")
        pytest.skip("the shared corpus (../shared/corpus) is not beside this clone")
    return CORPUS_DIR


TEST_REDIS_URL = os.environ.get("KHABARDAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis the integration tests use (a dedicated DB index); unreachable fails in CI, skips elsewhere."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {TEST_REDIS_URL} is unreachable ({exc}); CI needs it")
        pytest.skip(f"Redis at {TEST_REDIS_URL} is unreachable")
    return TEST_REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards, and no other key is touched."""
    import uuid

    import redis

    prefix = f"khabardar-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["sqlite", "redis"])
def either_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The embedded store and the Redis one in turn: the contract tests run every case on both."""
    from worker.store.redis_store import RedisStore
    from worker.store.sqlite_store import SqliteStore

    if request.param == "sqlite":
        opened: Store = SqliteStore(tmp_path)
    else:
        opened = RedisStore(request.getfixturevalue("redis_url"), prefix=request.getfixturevalue("redis_prefix"))
    yield opened
    opened.close()
