"""The archive of cleaned articles: written once per processed article, read in a stream by the editors' tools."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from worker.archive.db import ArchiveError, connect, unreachable
from worker.archive.schema import articles
from worker.config.models import ARCHIVE_DAYS_MAX

# Rows fetched per round trip when streaming: memory stays at about this many articles whatever the archive holds
# (PostgreSQL uses a server-side cursor; SQLite steps its cursor lazily). Neither sorts the whole window before
# the first row: both walk ix_articles_archived_at (SQLite's index ends in the rowid, which is ``id``; PostgreSQL
# plans a cursor as an Index Scan Backward under an Incremental Sort of equal times), so one round trip costs
# about this many rows, and a reader that checks a deadline between articles is never stuck long in the database.
STREAM_BATCH_ROWS = 500
_STREAMED = (
    articles.c.url,
    articles.c.outlet,
    articles.c.feed,
    articles.c.title,
    articles.c.text,
    articles.c.published,
    articles.c.archived_at,
    articles.c.story,
)


@dataclass(frozen=True)
class ArchivedArticle:
    url: str
    title: str
    text: str
    archived_at: datetime
    outlet: str = ""
    feed: str = ""
    published: datetime | None = None
    story: str | None = None
    matches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def when(self) -> datetime:
        """When the article appeared: its published time, else when it was archived."""
        return self.published or self.archived_at

    def row(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "outlet": self.outlet,
            "feed": self.feed,
            "title": self.title,
            "text": self.text,
            "published": _utc(self.published),
            "archived_at": _utc(self.archived_at),
            "story": self.story,
            "matches": self.matches,
        }


def window_since(days: int | None, now: datetime) -> datetime | None:
    """Where the window of the last ``days`` days begins, ``now`` less whole days (None: the whole archive).

    The one rule behind ``--days N`` of backtest, search and variants and the status page's search: an article is in
    the window when it was archived at or after this moment. ArchiveError for a number of days out of 1..3650.
    """
    if days is None:
        return None
    if not 1 <= days <= ARCHIVE_DAYS_MAX:
        raise ArchiveError(f"days: {days} is not a number of days from 1 to {ARCHIVE_DAYS_MAX}")
    return now - timedelta(days=days)


class Archive:
    """One per process and database URL; every method is safe to call from several threads."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._engine: Engine = connect(url)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def add(self, article: ArchivedArticle) -> None:
        """Keep ``article``; an article archived before under the same URL is replaced (it was re-processed)."""
        row = article.row()
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        statement = dialect.insert(articles).values(row)
        changed = {key: statement.excluded[key] for key in row if key not in ("url", "archived_at")}
        self._run(statement.on_conflict_do_update(index_elements=["url"], set_=changed))

    def add_many(self, batch: Iterable[ArchivedArticle]) -> None:
        """Insert new articles in one statement (imports and benchmarks); a URL already archived is an error."""
        rows = [article.row() for article in batch]
        if rows:
            self._run(insert(articles), rows)

    def prune(self, days: int, now: datetime) -> int:
        """Delete the articles archived more than ``days`` ago and give their space back; the number deleted.

        SQLite returns the freed pages to the file system (incremental vacuum); PostgreSQL leaves the dead rows to
        autovacuum, which makes their space reusable for new articles without locking the table.
        """
        cutoff = _utc(now - timedelta(days=days))
        try:
            with self._engine.begin() as connection:
                deleted = connection.execute(delete(articles).where(articles.c.archived_at < cutoff)).rowcount
            if deleted and self.dialect == "sqlite":
                self._give_pages_back()
        except SQLAlchemyError as exc:
            raise unreachable(self.url, exc) from exc
        return int(deleted or 0)

    def _give_pages_back(self) -> None:
        # The pragma frees one page per step of its statement, and a Python cursor steps a row-less statement
        # once: executescript runs it to completion (sqlite3_exec).
        with self._engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.executescript("PRAGMA incremental_vacuum;")

    def count(self, since: datetime | None = None) -> int:
        query = select(func.count()).select_from(articles)
        if since is not None:
            query = query.where(articles.c.archived_at >= _utc(since))
        try:
            with self._engine.connect() as connection:
                return int(connection.execute(query).scalar_one())
        except SQLAlchemyError as exc:
            raise unreachable(self.url, exc) from exc

    def stream(
        self, since: datetime | None = None, *, newest_first: bool = False
    ) -> Generator[ArchivedArticle, None, None]:
        """Every article archived since ``since`` (all without it), oldest first unless ``newest_first``.

        ``close()`` on the stream gives its connection back at once (a reader that stops early should).
        """
        order = (articles.c.archived_at.desc(), articles.c.id.desc()) if newest_first else (articles.c.id,)
        query = select(*_STREAMED).order_by(*order)
        if since is not None:
            query = query.where(articles.c.archived_at >= _utc(since))
        try:
            with self._engine.connect() as connection:
                result = connection.execution_options(stream_results=True, yield_per=STREAM_BATCH_ROWS).execute(query)
                for row in result:
                    yield _article(row)
        except SQLAlchemyError as exc:
            raise unreachable(self.url, exc) from exc

    def close(self) -> None:
        self._engine.dispose()

    def _run(self, statement: Any, rows: list[dict[str, Any]] | None = None) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(statement, rows) if rows is not None else connection.execute(statement)
        except SQLAlchemyError as exc:
            raise unreachable(self.url, exc) from exc


def _article(row: Any) -> ArchivedArticle:
    published = _aware(row.published) if row.published is not None else None
    return ArchivedArticle(
        url=row.url,
        title=row.title,
        text=row.text,
        archived_at=_aware(row.archived_at),
        outlet=row.outlet,
        feed=row.feed,
        published=published,
        story=row.story,
    )


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
