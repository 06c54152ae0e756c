"""Reserved for the proposals work of the conferences issue: no change yet

Revision ID: 0027_proposals
Revises: 0026_conference_admin
Create Date: 2026-12-02 04:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0027_proposals"
down_revision: str | None = "0026_conference_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
