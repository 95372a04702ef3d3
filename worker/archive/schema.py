"""The archive's tables (the migrations in ``migrations/versions`` create them; keep the two in step)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2048), nullable=False, unique=True),
    Column("outlet", String(255), nullable=False, default=""),
    Column("feed", String(255), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("published", DateTime(timezone=True), nullable=True),
    Column("archived_at", DateTime(timezone=True), nullable=False),
    Column("story", String(255), nullable=True),  # the first article of its story, when stories are assigned
    Column("matches", JSON, nullable=False, default=list),  # EntityMatch.to_json() of each match when archived
    Index("ix_articles_archived_at", "archived_at"),
)
