"""Reserved for the agenda work of the conferences issue: no change yet

Revision ID: 0025_agenda
Revises: 0024_conferences
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0025_agenda"
down_revision: str | None = "0024_conferences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
