"""How far a backfill of solved Slack threads got in each channel

Revision ID: 0010_slack_thread_import
Revises: 0009_unanswered_counts
Create Date: 2026-12-01 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_slack_thread_import"
down_revision: str | None = "0009_unanswered_counts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_thread_import",
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oldest_done_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("threads_seen", sa.Integer(), nullable=False),
        sa.Column("drafts_made", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("slack_thread_import")
