"""Reserved for the recordings work of the conferences issue: no change yet

Revision ID: 0030_recordings
Revises: 0029_check_in
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0030_recordings"
down_revision: str | None = "0029_check_in"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
