"""The articles table.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("outlet", sa.String(255), nullable=False),
        sa.Column("feed", sa.String(255), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("story", sa.String(255), nullable=True),
        sa.Column("matches", sa.JSON, nullable=False),
    )
    op.create_index("ix_articles_archived_at", "articles", ["archived_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_archived_at", table_name="articles")
    op.drop_table("articles")
