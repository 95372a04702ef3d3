"""The archive under test: a real SQLite file and a real PostgreSQL schema of the test's own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from worker.archive import Archive

TEST_POSTGRES_URL = os.environ.get("KHABARDAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The machine's PostgreSQL; unreachable fails in CI (.ci/run starts it), skips elsewhere."""
    engine = create_engine(TEST_POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {TEST_POSTGRES_URL} is unreachable ({exc}); CI needs it")
        pytest.skip(f"PostgreSQL at {TEST_POSTGRES_URL} is unreachable")
    finally:
        engine.dispose()
    return TEST_POSTGRES_URL


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[URL]:
    """A URL whose search_path is a schema of this test's own, dropped with everything in it afterwards."""
    schema = f"khabardar_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    if request.param == "sqlite":
        return URL.create("sqlite+pysqlite", database=str(tmp_path / "archive.sqlite3"))
    return request.getfixturevalue("postgres_schema_url")  # type: ignore[no-any-return]


@pytest.fixture
def archive(archive_url: URL) -> Iterator[Archive]:
    opened = Archive(archive_url)
    yield opened
    opened.close()
