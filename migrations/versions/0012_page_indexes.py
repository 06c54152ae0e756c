"""Indexes the public and organiser pages read in order

Revision ID: 0012_page_indexes
Revises: 0011_transcript_passages
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_page_indexes"
down_revision: str | None = "0011_transcript_passages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_content_item_status_published_at_id",
        "content_item",
        ["status", "published_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_pairing_group_round_status_outcome",
        "pairing_group",
        ["round_id", "status", "outcome"],
        unique=False,
    )
    op.create_index(
        "ix_event_status_starts_at_ends_at",
        "event",
        ["status", "starts_at", "ends_at"],
        unique=False,
    )
    op.create_index(
        "ix_answer_feedback_helpful_created_at",
        "answer_feedback",
        ["helpful", "created_at"],
        unique=False,
    )
    op.create_index("ix_job_run_started_at", "job_run", ["started_at"], unique=False)
    op.create_index("ix_delivery_issue_status", "delivery", ["issue_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_delivery_issue_status", table_name="delivery")
    op.drop_index("ix_job_run_started_at", table_name="job_run")
    op.drop_index("ix_answer_feedback_helpful_created_at", table_name="answer_feedback")
    op.drop_index("ix_event_status_starts_at_ends_at", table_name="event")
    op.drop_index("ix_pairing_group_round_status_outcome", table_name="pairing_group")
    op.drop_index("ix_content_item_status_published_at_id", table_name="content_item")
