"""A newsletter delivery that was deferred waits before its next attempt

Revision ID: 0014_delivery_retry_wait
Revises: 0013_search_change_log
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_delivery_retry_wait"
down_revision: str | None = "0013_search_change_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty for the deliveries that exist: they are due now, as they were before.
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
