"""Reserved for the schedule_format work of the conferences issue: no change yet

Revision ID: 0028_schedule_format
Revises: 0027_proposals
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0028_schedule_format"
down_revision: str | None = "0027_proposals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
