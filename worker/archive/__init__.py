"""The article archive (config ``archive:``) and the editors' tools that read it: backtest, search, variants.

Every cleaned article is kept for ``archive.days`` with its matches; SQLite under the data dir by default,
PostgreSQL when ``KHABARDAR_DATABASE_URL`` is set. ``archive_article`` is the pipeline's hook.
"""

from worker.archive.db import ArchiveError, database_url
from worker.archive.record import archive_article, open_archive
from worker.archive.store import Archive, ArchivedArticle

__all__ = ["Archive", "ArchiveError", "ArchivedArticle", "archive_article", "database_url", "open_archive"]
