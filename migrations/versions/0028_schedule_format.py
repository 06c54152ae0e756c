"""Sessions keep what a frab/pretalx schedule says of them: links, origin page, import time

Revision ID: 0028_schedule_format
Revises: 0027_proposals
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0028_schedule_format"
down_revision: str | None = "0027_proposals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conference_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("links", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(
            sa.Column("origin_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conference_session", schema=None) as batch_op:
        batch_op.drop_column("imported_at")
        batch_op.drop_column("origin_url")
        batch_op.drop_column("links")
