"""Public writes are limited per client and per address

Revision ID: 0015_public_write_limits
Revises: 0014_delivery_retry_wait
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_public_write_limits"
down_revision: str | None = "0014_delivery_retry_wait"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(
        op.f("ix_rate_limit_counter_window_ends_at"),
        "rate_limit_counter",
        ["window_ends_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_rate_limit_counter_window_ends_at"), table_name="rate_limit_counter")
    op.drop_table("rate_limit_counter")
