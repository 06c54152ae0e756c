"""Placeholder: filled by the change that needs it, removed if unused

Revision ID: 0023_job_summaries
Revises: 0022_knowledge_items
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

revision: str = "0023_job_summaries"
down_revision: str | None = "0022_knowledge_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
