"""The outbox: Slack messages join email, claimed before sending; unused newsletter_opt_in goes

Revision ID: 0008_outbox
Revises: 0007_outgoing_email
Create Date: 2026-12-01 12:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008_outbox"
down_revision: str | None = "0007_outgoing_email"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outgoing_slack_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("open_with", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("blocks", sa.JSON(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outgoing_slack_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outgoing_slack_message_due", ["status", "next_attempt_at"], unique=False
        )
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("newsletter_opt_in")


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("newsletter_opt_in", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
    with op.batch_alter_table("outgoing_slack_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outgoing_slack_message_due")
    op.drop_table("outgoing_slack_message")
