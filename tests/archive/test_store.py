"""The archive keeps cleaned articles on SQLite and PostgreSQL alike, streams them back and prunes old ones."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from worker.archive import Archive, ArchivedArticle, ArchiveError, database_url
from worker.archive.store import window_since
from worker.settings import Settings

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)


def _article(url: str, *, days_ago: float = 0, title: str = "शीर्षक", **extra: object) -> ArchivedArticle:
    return ArchivedArticle(url=url, title=title, text="पाठ", archived_at=NOW - timedelta(days=days_ago), **extra)  # type: ignore[arg-type]


def test_an_article_comes_back_with_every_field(archive: Archive) -> None:
    published = datetime(2026, 3, 16, 9, 30, tzinfo=UTC)
    archive.add(
        _article("https://a.example/1", outlet="दैनिक", feed="desk", published=published, story="https://a.example/0")
    )
    [back] = list(archive.stream())
    assert (back.url, back.outlet, back.feed, back.story) == (
        "https://a.example/1",
        "दैनिक",
        "desk",
        "https://a.example/0",
    )
    assert back.published == published
    assert back.archived_at == NOW
    assert back.when == published


def test_an_article_processed_again_replaces_its_first_copy(archive: Archive) -> None:
    archive.add(_article("https://a.example/1", title="पहला"))
    archive.add(_article("https://a.example/1", title="दूसरा"))
    assert [article.title for article in archive.stream()] == ["दूसरा"]


def test_stream_keeps_to_the_window_and_can_go_newest_first(archive: Archive) -> None:
    archive.add_many([_article(f"https://a.example/{n}", days_ago=n) for n in range(5)])
    recent = list(archive.stream(NOW - timedelta(days=2), newest_first=True))
    assert [article.url for article in recent] == ["https://a.example/0", "https://a.example/1", "https://a.example/2"]
    assert archive.count(NOW - timedelta(days=2)) == 3
    assert archive.count() == 5


@pytest.mark.parametrize(
    ("days", "since"),
    [
        (None, None),  # the whole archive
        (1, NOW - timedelta(hours=24)),
        (7, NOW - timedelta(days=7)),
        (3650, NOW - timedelta(days=3650)),  # the longest archive.days
    ],
)
def test_the_last_days_begin_that_many_whole_days_ago(days: int | None, since: datetime | None) -> None:
    assert window_since(days, NOW) == since


@pytest.mark.parametrize("days", [0, -1, 3651, 10**9])  # 10**9 days is past what a datetime can go back
def test_days_out_of_one_to_the_longest_archive_are_refused_by_name(days: int) -> None:
    with pytest.raises(ArchiveError, match=f"days: {days} is not a number of days from 1 to 3650"):
        window_since(days, NOW)


def test_prune_deletes_only_what_is_older_than_the_days_kept(archive: Archive) -> None:
    archive.add_many([_article(f"https://a.example/{n}", days_ago=n * 10) for n in range(5)])  # 0, 10, ... 40 days
    assert archive.prune(30, NOW) == 1
    assert sorted(article.url for article in archive.stream())[-1] == "https://a.example/3"


def test_pruning_gives_the_sqlite_file_its_pages_back(tmp_path: Path) -> None:
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "archive.sqlite3"))
    archive = Archive(url)
    big = "समाचार " * 2000
    old = NOW - timedelta(days=60)
    archive.add_many([ArchivedArticle(f"https://a.example/{n}", "t", big, old) for n in range(200)])
    before = _pages(url)
    archive.prune(30, NOW)
    after = _pages(url)
    archive.close()
    assert after[0] < before[0] / 10
    assert after[1] == 0  # no free page left inside the file


def _pages(url: URL) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
        free = connection.exec_driver_sql("PRAGMA freelist_count").scalar_one()
    engine.dispose()
    return int(pages), int(free)


def test_opening_an_archive_again_keeps_its_articles(archive_url: URL) -> None:
    first = Archive(archive_url)
    first.add(_article("https://a.example/1"))
    first.close()
    again = Archive(archive_url)
    assert again.count() == 1
    again.close()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "sqlite+pysqlite:///DATA/archive.sqlite3"),
        ({"KHABARDAR_DATABASE_URL": "postgresql://u@db:5432/k"}, "postgresql+psycopg://u@db:5432/k"),
        ({"KHABARDAR_DATABASE_URL": "postgresql+psycopg://u@db/k"}, "postgresql+psycopg://u@db/k"),
    ],
)
def test_the_database_url_comes_from_the_environment_else_the_data_dir(environ: dict[str, str], expected: str) -> None:
    settings = Settings.from_env({"KHABARDAR_DATA_DIR": "DATA"})
    assert database_url(settings, environ).render_as_string() == expected


def test_a_database_other_than_postgresql_or_sqlite_is_refused() -> None:
    with pytest.raises(ArchiveError, match="postgresql or sqlite, not mysql"):
        database_url(Settings.from_env({}), {"KHABARDAR_DATABASE_URL": "mysql://u@db/k"})


def test_postgresql_down_is_a_clear_error_naming_the_url_without_its_password() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = database_url(
        Settings.from_env({}), {"KHABARDAR_DATABASE_URL": f"postgresql://desk:s3cret@127.0.0.1:{port}/k"}
    )
    with pytest.raises(ArchiveError) as raised:
        Archive(url)
    message = str(raised.value)
    assert f"desk:***@127.0.0.1:{port}/k" in message
    assert "s3cret" not in message
