"""Feedback counts once per member and the newsletter's answers are reviewed

Revision ID: 0017_signals_count_once
Revises: 0016_login_sessions
Create Date: 2026-12-01 21:00:00.000000
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_signals_count_once"
down_revision: str | None = "0016_login_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
feedback = sa.table(
    "answer_feedback",
    sa.column("id", sa.Integer),
    sa.column("question", sa.Text),
    sa.column("doc_ids", sa.JSON),
    sa.column("given_by", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("answer_key", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answer_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    _fill_answer_keys()
    _keep_each_members_latest_vote()
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.alter_column(
            "answer_key",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=64),
            nullable=False,
        )
    op.create_index(
        "ux_answer_feedback_answer_given_by",
        "answer_feedback",
        ["answer_key", "given_by"],
        unique=True,
    )
    op.create_table(
        "newsletter_issue_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("answer_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("cited_titles", sa.JSON(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("review", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issue_id"], ["newsletter_issue.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issue_id", "answer_key"),
    )


def downgrade() -> None:
    # The duplicate votes the upgrade removed do not come back.
    op.drop_table("newsletter_issue_answer")
    op.drop_index("ux_answer_feedback_answer_given_by", table_name="answer_feedback")
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.drop_column("answer_key")


def _answer_key(question: str, doc_ids: list[str]) -> str:
    """community.models.answers.answer_key as it is at this revision."""
    words = " ".join(question.split()).casefold()
    cited = ",".join(sorted(doc_ids))
    return hashlib.sha256(f"{words}\n{cited}".encode()).hexdigest()


def _fill_answer_keys() -> None:
    connection = op.get_bind()
    set_key = (
        sa.update(feedback)
        .where(feedback.c.id == sa.bindparam("row_id"))
        .values(answer_key=sa.bindparam("key"))
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(feedback.c.id, feedback.c.question, feedback.c.doc_ids)
            .where(feedback.c.id > last_id)
            .order_by(feedback.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        keys = [{"row_id": id_, "key": _answer_key(q, doc_ids or [])} for id_, q, doc_ids in rows]
        connection.execute(set_key, keys)
        last_id = rows[-1].id


def _keep_each_members_latest_vote() -> None:
    """Before the unique index: a member's newest verdict on an answer stands, as a click now."""
    newer = feedback.alias("newer")
    later_vote = sa.exists().where(
        newer.c.answer_key == feedback.c.answer_key,
        newer.c.given_by == feedback.c.given_by,
        sa.or_(
            newer.c.created_at > feedback.c.created_at,
            sa.and_(newer.c.created_at == feedback.c.created_at, newer.c.id > feedback.c.id),
        ),
    )
    op.get_bind().execute(sa.delete(feedback).where(feedback.c.given_by.is_not(None), later_vote))
