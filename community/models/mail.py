"""Emails waiting to go out: written before sending, so a mail outage loses none."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused for good, or too many attempts


class OutgoingEmail(SQLModel, table=True):
    __tablename__ = "outgoing_email"
    __table_args__ = (Index("ix_outgoing_email_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=998)
    text: str = Field(sa_type=Text)
    html: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default=EmailStatus.PENDING, max_length=20)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    next_attempt_at: datetime = created_at_field()
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
