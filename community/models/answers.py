"""Questions members asked that the knowledge base could not answer: content gaps."""

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


class AnswerFeedback(SQLModel, table=True):
    """A member's verdict on an answer, with the items it showed."""

    __tablename__ = "answer_feedback"
    # The feedback and gaps pages read the latest answers marked Not helpful.
    __table_args__ = (Index("ix_answer_feedback_helpful_created_at", "helpful", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(sa_type=Text)
    doc_ids: list[str] = json_list_field()
    helpful: bool
    reason: str | None = Field(default=None, sa_type=Text)
    given_by: str | None = Field(default=None, max_length=64)  # Slack user id
    created_at: datetime = created_at_field()
