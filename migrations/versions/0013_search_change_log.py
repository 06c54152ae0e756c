"""The search index's change log, how far each node applied it, and how far it was pruned

Revision ID: 0013_search_change_log
Revises: 0012_page_indexes
Create Date: 2026-12-01 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_search_change_log"
down_revision: str | None = "0012_page_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "search_index_change",
        sa.Column("id", LOG_ID, nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "search_index_node",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("applied_through", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "search_change_log_pruning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pruned_through", sa.BigInteger(), nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # Content made before the log existed is in no log row: an empty index must be rebuilt
    # from the tables, not replayed from the log.
    op.execute(
        "INSERT INTO search_change_log_pruning (id, pruned_through, pruned_at)"
        " SELECT 1, 0, CURRENT_TIMESTAMP"
        " WHERE EXISTS (SELECT 1 FROM content_item) OR EXISTS (SELECT 1 FROM event)"
    )


def downgrade() -> None:
    op.drop_table("search_change_log_pruning")
    op.drop_table("search_index_node")
    op.drop_table("search_index_change")
