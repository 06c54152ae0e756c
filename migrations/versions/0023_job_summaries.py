"""Job runs say who started them by hand, and are read per job and per outcome in start order

Revision ID: 0023_job_summaries
Revises: 0022_knowledge_items
Create Date: 2026-12-02 00:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023_job_summaries"
down_revision: str | None = "0022_knowledge_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty for the runs recorded so far: the schedule started them.
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("started_by", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True)
        )
        batch_op.create_index("ix_job_run_job_id_started_at", ["job_id", "started_at", "status"])
        batch_op.create_index("ix_job_run_status_started_at", ["status", "started_at"])


def downgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.drop_index("ix_job_run_status_started_at")
        batch_op.drop_index("ix_job_run_job_id_started_at")
        batch_op.drop_column("started_by")
