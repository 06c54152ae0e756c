"""Slack members of the community and what they opted into."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slack_id: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    tz: str | None = Field(default=None, max_length=64)
    tz_offset: int = 0  # seconds east of UTC, as Slack's users.info gives it
    interests: list[str] = json_list_field()
    avoid_slack_ids: list[str] = json_list_field()  # "don't pair me with"
    pairing_opt_in: bool = False
    pairing_skip_next: bool = False
    pairing_snoozed_until: date | None = None
    status_text: str = Field(default="", max_length=200)  # Slack status, e.g. "On vacation"
    status_emoji: str = Field(default="", max_length=100)
    status_expires_at: datetime | None = timestamp_field()
    is_bot: bool = False
    deleted: bool = False
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
