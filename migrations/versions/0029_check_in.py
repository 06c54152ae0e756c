"""Check-in codes for the places confirmed before check-in existed

Their confirmation emails had no code, so their registration pages would show none; each
confirmed place gets one now, as a confirmation email gives it from this version on.

Revision ID: 0029_check_in
Revises: 0028_schedule_format
Create Date: 2026-12-02 04:00:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_check_in"
down_revision: str | None = "0028_schedule_format"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Crockford's base32, as community.events.check_in gives codes (kept here: a migration
# must not change when the application's code does).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8

registration = sa.table(
    "registration",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("hold_expires_at", sa.DateTime),
    sa.column("check_in_code", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    taken = set(
        connection.scalars(
            sa.select(registration.c.check_in_code).where(registration.c.check_in_code.is_not(None))
        )
    )
    without_code = connection.scalars(
        sa.select(registration.c.id).where(
            registration.c.status == "registered",
            registration.c.hold_expires_at.is_(None),
            registration.c.check_in_code.is_(None),
        )
    ).all()
    for registration_id in without_code:
        code = _new_code(taken)
        taken.add(code)
        connection.execute(
            registration.update()
            .where(registration.c.id == registration_id)
            .values(check_in_code=code)
        )


def downgrade() -> None:
    pass  # the codes stay: the column and its meaning are 0024's


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            return code
