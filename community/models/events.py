"""Meetups, workshops and conferences, and who registered for them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Text, UniqueConstraint, true
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, json_list_field, timestamp_field


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EventFormat(StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


class Event(SQLModel, table=True):
    # Lists of published events read in start order, skipping the ones that have ended.
    __table_args__ = (Index("ix_event_status_starts_at_ends_at", "status", "starts_at", "ends_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=500, unique=True)  # stable iCalendar UID
    slug: str = Field(max_length=200, index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=Text)  # Markdown
    kind: str = Field(default="meetup", max_length=40)
    format: str = Field(default=EventFormat.ONLINE, max_length=20)
    host: str | None = Field(default=None, max_length=200)  # who hosts it, shown publicly
    venue: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=500)
    join_url: str | None = Field(default=None, max_length=2000)
    external_url: str | None = Field(default=None, max_length=2000)  # the event's own web page
    starts_at: datetime = timestamp_field(index=True, required=True)
    ends_at: datetime = timestamp_field(required=True)
    timezone: str = Field(default="UTC", max_length=64)
    capacity: int | None = None
    registration_opens_at: datetime | None = timestamp_field()
    registration_closes_at: datetime | None = timestamp_field()
    tags: list[str] = json_list_field()
    # An RSVP from the public form holds its place only for RSVP_HOLD_MINUTES until its
    # email address is confirmed; organisers turn this off for events that do not need it.
    rsvp_needs_confirmation: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    status: str = Field(default=EventStatus.DRAFT, max_length=20, index=True)
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    series_id: str | None = Field(default=None, max_length=64, index=True)
    # A duplicate remembers its original; the copy stays when the original is deleted.
    copied_from_id: int | None = Field(default=None, foreign_key="event.id", ondelete="SET NULL")
    cancellation_reason: str | None = Field(default=None, sa_type=Text)  # told to attendees
    sequence: int = 0  # iCalendar SEQUENCE: raised on every change attendees should see
    published_at: datetime | None = timestamp_field()
    announced_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"  # by the person, through their link
    EXPIRED = "expired"  # held for confirmation, and not confirmed in time


class Registration(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    status: str = Field(default=RegistrationStatus.REGISTERED, max_length=20)
    queued_at: datetime = created_at_field()  # waitlist order: first come, first promoted
    promoted_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    cancelled_at: datetime | None = timestamp_field()
    confirmed_at: datetime | None = timestamp_field()  # when the address was shown to be theirs
    # Set while the RSVP waits for its email to be confirmed: its place (or waitlist spot)
    # is held until then. None once confirmed, or when no confirmation is needed.
    hold_expires_at: datetime | None = timestamp_field(index=True)
    # Check-in at the door: the short code printed under the QR code, typed when a camera
    # cannot read it; when and by whom the person was let in.
    check_in_code: str | None = Field(default=None, max_length=20, unique=True, index=True)
    checked_in_at: datetime | None = timestamp_field()
    checked_in_by: str | None = Field(default=None, max_length=320)


class ReminderChannel(StrEnum):
    EMAIL = "email"
    SLACK = "slack"


class EventReminder(SQLModel, table=True):
    """A reminder sent, keyed by the start it was for, so a moved event is reminded again."""

    __tablename__ = "event_reminder"
    __table_args__ = (UniqueConstraint("registration_id", "lead", "starts_at", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    lead: str = Field(max_length=10)  # "24h" or "1h" before the start
    starts_at: datetime = timestamp_field(required=True)
    channel: str = Field(max_length=10)
    sent_at: datetime = created_at_field()
