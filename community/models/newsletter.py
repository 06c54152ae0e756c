"""Subscribers, the weekly issues and one delivery row per recipient."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class SubscriberStatus(StrEnum):
    PENDING = "pending"  # waiting for the double opt-in confirmation
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"  # hard bounce: suppressed from later issues


class Subscriber(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(default="", max_length=200)
    status: str = Field(default=SubscriberStatus.PENDING, max_length=20, index=True)
    source: str = Field(default="web", max_length=40)  # web, slack, import
    consented_at: datetime | None = timestamp_field()
    confirmed_at: datetime | None = timestamp_field()
    # The last double opt-in email; while its link works, asking again sends no other.
    confirmation_sent_at: datetime | None = timestamp_field()
    unsubscribed_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class IssueStatus(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"


class NewsletterIssue(SQLModel, table=True):
    __tablename__ = "newsletter_issue"

    id: int | None = Field(default=None, primary_key=True)
    week_of: date = Field(unique=True)  # the Monday it covers: one issue per week
    subject: str = Field(max_length=300)
    intro: str = Field(default="", sa_type=Text)
    html: str = Field(default="", sa_type=Text)
    text: str = Field(default="", sa_type=Text)
    # The issue as a page of the site (the archive and the feed): no personal footer.
    web_html: str = Field(default="", sa_type=Text)
    status: str = Field(default=IssueStatus.DRAFT, max_length=20, index=True)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()


class AnswerReview(StrEnum):
    PENDING = "pending"  # the member's words stay out of the email; the cited items show
    APPROVED = "approved"  # an organiser read the question and lets the email quote it
    DROPPED = "dropped"  # not in this issue at all


class IssueAnswer(SQLModel, table=True):
    """A helpful answer a draft holds, with the organiser's review of the member's question."""

    __tablename__ = "newsletter_issue_answer"
    __table_args__ = (UniqueConstraint("issue_id", "answer_key"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="newsletter_issue.id", ondelete="CASCADE")
    answer_key: str = Field(max_length=64)  # AnswerFeedback.answer_key
    question: str = Field(sa_type=Text)  # as the organiser saw it; kept once approved
    cited_titles: list[str] = json_list_field()
    members: int  # distinct members who found it helpful, when the draft was last rendered
    position: int = 0  # its place in the email's list
    review: str = Field(default=AnswerReview.PENDING, max_length=20)
    reviewed_at: datetime | None = timestamp_field()


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # permanent (5xx) failure, or temporary ones too many times
    SKIPPED = "skipped"  # unsubscribed or bounced after the issue started sending


class Delivery(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id"),
        # An issue's progress (deliveries by status) is counted from the index alone.
        Index("ix_delivery_issue_status", "issue_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="newsletter_issue.id", index=True, ondelete="CASCADE")
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True, ondelete="CASCADE")
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20, index=True)
    attempts: int = 0
    # After a deferral, not tried again before this (None: due now); see outbox.retries.
    next_attempt_at: datetime | None = timestamp_field()
    message_id: str | None = Field(default=None, max_length=300)
    last_error: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = timestamp_field()
