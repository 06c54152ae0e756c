"""Questions members asked that the knowledge base could not answer: content gaps."""

import hashlib
from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class UnansweredQuestion(SQLModel, table=True):
    __tablename__ = "unanswered_question"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_type=Text)
    asked_via: str = Field(max_length=20)  # slack, web, cli
    asked_by: str | None = Field(default=None, max_length=64)  # Slack user id when known
    best_score: float | None = None
    times_asked: int = 1
    created_at: datetime = created_at_field()
    last_asked_at: datetime = created_at_field()
    resolved_at: datetime | None = timestamp_field()


def answer_key(question: str, doc_ids: list[str]) -> str:
    """Names one answer: the question in any case or spacing, and the items it cited."""
    words = " ".join(question.split()).casefold()
    cited = ",".join(sorted(doc_ids))
    return hashlib.sha256(f"{words}\n{cited}".encode()).hexdigest()


def _answer_key_of_row(context) -> str:
    row = context.get_current_parameters()
    return answer_key(row["question"], row["doc_ids"] or [])


class AnswerFeedback(SQLModel, table=True):
    """A member's verdict on an answer, with the items it showed: one per member and answer."""

    __tablename__ = "answer_feedback"
    __table_args__ = (
        # The feedback and gaps pages read the latest answers marked Not helpful.
        Index("ix_answer_feedback_helpful_created_at", "helpful", "created_at"),
        # A member's later click replaces their verdict, so five clicks count once.
        Index("ux_answer_feedback_answer_given_by", "answer_key", "given_by", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_type=Text)
    doc_ids: list[str] = json_list_field()
    # Filled from the question and doc_ids when a row is inserted without it.
    answer_key: str | None = Field(
        default=None,
        max_length=64,
        nullable=False,
        sa_column_kwargs={"default": _answer_key_of_row},
    )
    helpful: bool
    reason: str | None = Field(default=None, sa_type=Text)
    given_by: str | None = Field(default=None, max_length=64)  # Slack user id
    created_at: datetime = created_at_field()  # of the member's latest click
