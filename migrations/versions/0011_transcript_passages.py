"""Episodes keep the passages and chapters read from their transcripts

Revision ID: 0011_transcript_passages
Revises: 0010_slack_thread_import
Create Date: 2026-12-01 16:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_transcript_passages"
down_revision: str | None = "0010_slack_thread_import"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "transcript_source", sqlmodel.sql.sqltypes.AutoString(length=4001), nullable=True
            )
        )
        batch_op.add_column(sa.Column("transcript_error", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("transcript_tried_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("transcript_passages", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("chapters", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("content_item", schema=None) as batch_op:
        batch_op.drop_column("chapters")
        batch_op.drop_column("transcript_passages")
        batch_op.drop_column("transcript_tried_at")
        batch_op.drop_column("transcript_error")
        batch_op.drop_column("transcript_source")
