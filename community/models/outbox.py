"""Messages waiting to leave: written in the same transaction as the change that causes them.

A worker delivers them after the commit, so a rolled-back change sends nothing and an
outage of the mail relay or of Slack delays messages but loses none.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker; still so after a crash until it is checked
    SENT = "sent"
    FAILED = "failed"  # refused for good, or too many attempts


class OutboxRow(SQLModel):
    """What every outbox table records about delivering its message."""

    status: str = Field(default=OutboxStatus.PENDING, max_length=20)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    next_attempt_at: datetime = created_at_field()
    claimed_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()


class OutgoingEmail(OutboxRow, table=True):
    __tablename__ = "outgoing_email"
    __table_args__ = (Index("ix_outgoing_email_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=320)
    subject: str = Field(max_length=998)
    text: str = Field(sa_type=Text)
    html: str | None = Field(default=None, sa_type=Text)
    # Files sent with it: [{"filename", "content_type", "content", "encoding"}], where the
    # encoding is "text" (content as it is) or "base64" (bytes).
    attachments: list | None = Field(default=None, sa_type=JSON)


class OutgoingSlackMessage(OutboxRow, table=True):
    __tablename__ = "outgoing_slack_message"
    __table_args__ = (Index("ix_outgoing_slack_message_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(default="", max_length=64)  # a channel id, or a user id for a DM
    # For a group DM: the people to open it with; the worker opens it and keeps its channel.
    open_with: str | None = Field(default=None, max_length=1000)
    text: str = Field(sa_type=Text)
    blocks: list | None = Field(default=None, sa_type=JSON)
    message_ts: str | None = Field(default=None, max_length=32)
