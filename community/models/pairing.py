"""One-on-one pairing rounds and the groups introduced in each."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field


class RoundStatus(StrEnum):
    PLANNED = "planned"
    MATCHED = "matched"  # groups stored, introductions may be under way
    INTRODUCED = "introduced"
    DONE = "done"


class PairingRound(SQLModel, table=True):
    __tablename__ = "pairing_round"

    id: int | None = Field(default=None, primary_key=True)
    round_date: date = Field(unique=True)
    status: str = Field(default=RoundStatus.PLANNED, max_length=20)
    seed: int | None = None
    reminder_sent_at: datetime | None = timestamp_field()
    summary_posted_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class GroupStatus(StrEnum):
    PENDING = "pending"  # stored, introduction not sent yet
    INTRODUCED = "introduced"
    FAILED = "failed"


class GroupOutcome(StrEnum):
    MET = "met"
    NOT_YET = "not_yet"
    COULD_NOT = "could_not"


class PairingGroup(SQLModel, table=True):
    __tablename__ = "pairing_group"
    # The organiser page counts each round's groups by status and outcome from the index.
    __table_args__ = (
        Index("ix_pairing_group_round_status_outcome", "round_id", "status", "outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="pairing_round.id", index=True, ondelete="CASCADE")
    status: str = Field(default=GroupStatus.PENDING, max_length=20)
    conversation_id: str | None = Field(default=None, max_length=32)
    introduced_at: datetime | None = timestamp_field()
    checkin_sent_at: datetime | None = timestamp_field()
    checkin_reminded_at: datetime | None = timestamp_field()
    outcome: str | None = Field(default=None, max_length=20)


class PairingGroupMember(SQLModel, table=True):
    __tablename__ = "pairing_group_member"
    __table_args__ = (UniqueConstraint("group_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="pairing_group.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="member.id", index=True, ondelete="CASCADE")
