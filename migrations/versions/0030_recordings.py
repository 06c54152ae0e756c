"""After a conference: the follow-up email each registered person gets once

Revision ID: 0030_recordings
Revises: 0029_check_in
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_recordings"
down_revision: str | None = "0029_check_in"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_up_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conference.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registration.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conference_id", "registration_id"),
    )
    with op.batch_alter_table("follow_up_email", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_email_registration_id"), ["registration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("follow_up_email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_email_registration_id"))
    op.drop_table("follow_up_email")
