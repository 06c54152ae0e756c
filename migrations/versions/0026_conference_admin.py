"""Reserved for the conference_admin work of the conferences issue: no change yet

Revision ID: 0026_conference_admin
Revises: 0025_agenda
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0026_conference_admin"
down_revision: str | None = "0025_agenda"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
