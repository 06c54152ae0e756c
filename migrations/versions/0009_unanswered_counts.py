"""Unanswered questions count how often and when they were last asked

Revision ID: 0009_unanswered_counts
Revises: 0008_outbox
Create Date: 2026-12-01 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_unanswered_counts"
down_revision: str | None = "0008_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("times_asked", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("last_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE unanswered_question SET last_asked_at = created_at")
    with op.batch_alter_table("unanswered_question", schema=None) as batch_op:
        batch_op.alter_column("last_asked_at", nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("unanswered_question", schema=None) as batch_op:
        batch_op.drop_column("last_asked_at")
        batch_op.drop_column("times_asked")
