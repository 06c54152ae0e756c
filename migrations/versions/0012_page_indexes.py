"""Indexes the public and organiser pages read in order

Revision ID: 0012_page_indexes
Revises: 0011_transcript_passages
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_page_indexes"
down_revision: str | None = "0011_transcript_passages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_content_item_status_published_at_id",
        "content_item",
        ["status", "published_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_content_item_status_published_at_id", table_name="content_item")
