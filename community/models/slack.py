"""Slack deliveries already handled, so a retried or repeated event never answers twice."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community.models.types import created_at_field


class SlackEventReceipt(SQLModel, table=True):
    __tablename__ = "slack_event_receipt"

    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime = created_at_field()
