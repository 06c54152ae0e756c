"""Organisers' item list: hidden items, edits kept through re-polls, when a feed began failing

Revision ID: 0022_knowledge_items
Revises: 0021_newsletter_pages
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_knowledge_items"
down_revision: str | None = "0021_newsletter_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIST_INDEXES = {
    "ix_content_item_status_id": ["status", "id"],
    "ix_content_item_kind_id": ["kind", "id"],
    "ix_content_item_collection_id": ["collection", "id"],
    "ix_content_item_source_id_id": ["source_id", "id"],
    # The Feeds page counts each feed's items by status from this index alone.
    "ix_content_item_source_id_status": ["source_id", "status"],
}


def upgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("organiser_fields", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
    # A feed failing now began failing no later than its last check.
    op.execute(
        "UPDATE source SET failing_since = last_checked_at "
        "WHERE error_count > 0 AND last_checked_at IS NOT NULL"
    )
    # The demo FAQ's source took the name of its collection, as `kb import` names FAQ files'.
    op.execute(
        "UPDATE source SET name = 'community-faq' WHERE kind = 'faq' AND name = 'Community FAQ'"
    )
    for name, columns in LIST_INDEXES.items():
        op.create_index(name, "content_item", columns, unique=False)


def downgrade() -> None:
    for name in LIST_INDEXES:
        op.drop_index(name, table_name="content_item")
    op.execute("UPDATE content_item SET status = 'published' WHERE status = 'hidden'")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_column("failing_since")
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_column("organiser_fields")
