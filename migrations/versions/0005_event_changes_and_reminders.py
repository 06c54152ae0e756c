"""Event changes, waitlist order and reminders

Revision ID: 0005_event_changes_and_reminders
Revises: 0004_answer_feedback
Create Date: 2026-11-27 18:40:20.893301
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_event_changes_and_reminders"
down_revision: str | None = "0004_answer_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("lead", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("registration_id", "lead", "starts_at", "channel"),
    )
    with op.batch_alter_table("event_reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_reminder_registration_id"), ["registration_id"], unique=False
        )

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True))
    # Existing registrations keep their order on the waitlist.
    op.execute("UPDATE registration SET queued_at = created_at")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.alter_column("queued_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("promoted_at")
        batch_op.drop_column("queued_at")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("announced_at")
        batch_op.drop_column("published_at")
        batch_op.drop_column("sequence")

    with op.batch_alter_table("event_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_reminder_registration_id"))

    op.drop_table("event_reminder")
