"""Placeholder: filled by the change that needs it, removed if unused

Revision ID: 0020_email_attachments
Revises: 0019_event_pages
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

revision: str = "0020_email_attachments"
down_revision: str | None = "0019_event_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
