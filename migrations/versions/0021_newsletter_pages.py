"""Newsletter: the archived issue as a page of the site, and when a confirmation was sent

Revision ID: 0021_newsletter_pages
Revises: 0020_email_attachments
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_newsletter_pages"
down_revision: str | None = "0020_email_attachments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Issues rendered before keep an empty page body; the archive then shows their email
    # without its personal footer.
    with op.batch_alter_table("newsletter_issue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("web_html", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmation_sent_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.drop_column("confirmation_sent_at")
    with op.batch_alter_table("newsletter_issue", schema=None) as batch_op:
        batch_op.drop_column("web_html")
