"""Slack deliveries already handled (a retried event never answers twice), and backfills."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class SlackEventReceipt(SQLModel, table=True):
    __tablename__ = "slack_event_receipt"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = created_at_field()


class SlackThreadImport(SQLModel, table=True):
    """How far `slack import-threads` got in a channel, so a new run picks up after a crash.

    History is read newest first; every message newer than `oldest_done_ts` (and since
    `since`) has been looked at.
    """

    __tablename__ = "slack_thread_import"

    channel: str = Field(primary_key=True, max_length=64)
    since: datetime = timestamp_field(required=True)
    oldest_done_ts: str | None = Field(default=None, max_length=32)
    threads_seen: int = 0
    drafts_made: int = 0
    finished_at: datetime | None = timestamp_field()
    updated_at: datetime = created_at_field()
