"""Where the archive lives and how it is opened: SQLite under the data dir, or PostgreSQL from the environment.

``KHABARDAR_DATABASE_URL`` (``postgresql://user:pass@host/db``) selects PostgreSQL; without it the archive is a
file of its own, ``archive.sqlite3`` under ``KHABARDAR_DATA_DIR``, apart from the state store. Opening runs the
Alembic migrations shipped in this package up to the newest, under a lock so that workers starting together
do not race to create the tables.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from worker.errors import KhabardarError
from worker.settings import Settings

DATABASE_URL_ENV = "KHABARDAR_DATABASE_URL"
SQLITE_FILE = "archive.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5
# Any fixed number shared by every khabardar process: the PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK_KEY = 0x6B686172


class ArchiveError(KhabardarError):
    """The archive database failed; the message names it (never with its password) and what went wrong."""


def database_url(settings: Settings, environ: Mapping[str, str] | None = None) -> URL:
    """The archive's URL: PostgreSQL (psycopg 3) when KHABARDAR_DATABASE_URL is set, else the SQLite file."""
    env = os.environ if environ is None else environ
    raw = env.get(DATABASE_URL_ENV) or ""
    if not raw:
        return URL.create("sqlite+pysqlite", database=str(settings.data_dir / SQLITE_FILE))
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
        raise ArchiveError(f"{DATABASE_URL_ENV} is not a database URL (postgresql://user@host/db)") from exc
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        return url
    raise ArchiveError(f"{DATABASE_URL_ENV}: the archive runs on postgresql or sqlite, not {url.get_backend_name()}")


def shown(url: URL) -> str:
    """The URL for messages and logs: the password masked."""
    return url.render_as_string(hide_password=True)


def connect(url: URL) -> Engine:
    """An engine on ``url`` with the schema migrated to the newest; ArchiveError when the database cannot be used."""
    engine = _engine(url)
    try:
        with _migration_lock(engine):
            _upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise unreachable(url, exc) from exc
    return engine


def probe(url: URL) -> None:
    """One connection and a ``SELECT 1``, nothing migrated; ArchiveError when the database does not answer."""
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise unreachable(url, exc) from exc
    finally:
        engine.dispose()


def unreachable(url: URL, exc: BaseException) -> ArchiveError:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return ArchiveError(f"the archive database {shown(url)} cannot be used: {reason}")


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # auto_vacuum only takes effect before the first table exists: a new file is made with it, so that pruning
    # can give pages back with `PRAGMA incremental_vacuum` instead of a full VACUUM that rewrites the file.
    cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (backtest, search) never block the workers writing
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()


def _upgrade(engine: Engine) -> None:
    from alembic import command  # imported when an archive is opened, not with every process that may open one
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(files("worker.archive") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
