"""An RSVP holds its place once its email is confirmed

Revision ID: 0018_confirmed_places
Revises: 0017_signals_count_once
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_confirmed_places"
down_revision: str | None = "0017_signals_count_once"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Events that exist ask for confirmation from now on; registrations that exist keep
    # their places as they are (no hold, nothing to confirm).
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "rsvp_needs_confirmation", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_registration_hold_expires_at"), ["hold_expires_at"], unique=False
        )


def downgrade() -> None:
    # A registration still waiting for its confirmation keeps its place or spot; one whose
    # hold lapsed reads as cancelled, the status the earlier schema knows.
    op.execute("UPDATE registration SET status = 'cancelled' WHERE status = 'expired'")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_hold_expires_at"))
        batch_op.drop_column("hold_expires_at")
        batch_op.drop_column("confirmed_at")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("rsvp_needs_confirmation")
