"""Outgoing emails can carry attachments, such as an event's calendar file

Revision ID: 0020_email_attachments
Revises: 0019_event_pages
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_email_attachments"
down_revision: str | None = "0019_event_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outgoing_email", schema=None) as batch_op:
        batch_op.drop_column("attachments")
