"""Upgrading keeps each member's latest verdict on an answer, so the rule of one vote holds."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command

from community.database_cli import alembic_config
from community.db import get_engine

BEFORE = "0016_login_sessions"
CLICKED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
# The table as it was before the upgrade.
feedback = sa.table(
    "answer_feedback",
    sa.column("id", sa.Integer),
    sa.column("question", sa.Text),
    sa.column("doc_ids", sa.JSON),
    sa.column("helpful", sa.Boolean),
    sa.column("given_by", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _vote(connection, question: str, given_by: str | None, helpful: bool, minutes: int) -> None:
    at = CLICKED + timedelta(minutes=minutes)
    connection.execute(
        sa.insert(feedback).values(
            question=question, doc_ids=["item:1"], helpful=helpful, given_by=given_by, created_at=at
        )
    )


def test_upgrading_keeps_each_members_latest_vote_per_answer(app):
    engine = get_engine(app)
    config = alembic_config(engine)
    command.downgrade(config, BEFORE)
    with engine.begin() as connection:
        for minute in range(5):  # one member's five Helpful clicks, then a change of mind
            _vote(connection, "Is drift bad?", "U1", True, minute)
        _vote(connection, "  is DRIFT bad? ", "U1", False, 9)
        _vote(connection, "Is drift bad?", "U2", True, 3)
        _vote(connection, "Is drift bad?", None, True, 1)  # no member known: left as it is
        _vote(connection, "Is drift bad?", None, True, 2)

    command.upgrade(config, "head")

    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(feedback.c.given_by, feedback.c.helpful).order_by(
                feedback.c.given_by.is_(None), feedback.c.given_by, feedback.c.id
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("U1", False),
        ("U2", True),
        (None, True),
        (None, True),
    ]
