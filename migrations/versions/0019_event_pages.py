"""Events name their host, keep their own web page, a cancellation's reason and the original of a copy

Revision ID: 0019_event_pages
Revises: 0018_confirmed_places
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_event_pages"
down_revision: str | None = "0018_confirmed_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("host", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("external_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.add_column(sa.Column("copied_from_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancellation_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_event_copied_from_id_event",
            "event",
            ["copied_from_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint("fk_event_copied_from_id_event", type_="foreignkey")
        batch_op.drop_column("cancellation_reason")
        batch_op.drop_column("copied_from_id")
        batch_op.drop_column("external_url")
        batch_op.drop_column("host")
