"""Reserved for the check_in work of the conferences issue: no change yet

Revision ID: 0029_check_in
Revises: 0028_schedule_format
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0029_check_in"
down_revision: str | None = "0028_schedule_format"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
