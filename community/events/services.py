"""Creating and changing events, as plain functions taking a session."""

import calendar
import re
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from community.events.formatting import event_when, event_where
from community.models import Event, EventFormat, EventStatus
from community.models.types import utcnow

EVENT_KINDS = ("meetup", "workshop", "conference", "ama", "podcast-recording", "webinar", "other")
# Changes that attendees must hear about (and that calendars pick up through SEQUENCE).
ATTENDEE_FACING = ("starts_at", "ends_at", "timezone", "venue", "address", "format", "join_url")
MAX_SERIES_LENGTH = 52


@dataclass(frozen=True)
class AttendeeChange:
    """One thing attendees are told changed, as they read it: 'When', old text, new text."""

    label: str
    old: str
    new: str
    private: bool = False  # the join link: only for people who hold a place


class EventError(ValueError):
    """An event that cannot be saved as given; the message says why, for the organiser."""


@dataclass
class EventInput:
    title: str
    starts_at: datetime  # timezone-aware
    ends_at: datetime
    timezone: str
    description: str = ""
    kind: str = "meetup"
    format: str = EventFormat.ONLINE
    host: str | None = None
    venue: str | None = None
    address: str | None = None
    join_url: str | None = None
    capacity: int | None = None
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    status: str = EventStatus.DRAFT
    rsvp_needs_confirmation: bool = True  # see Event.rsvp_needs_confirmation


def validate_event(data: EventInput) -> None:
    data.title = " ".join(data.title.split())  # one line: it becomes an email subject
    if not data.title:
        raise EventError("an event needs a title")
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise EventError(f"{data.timezone!r} is not a known time zone") from error
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise EventError("start and end need a time zone")
    if data.ends_at.astimezone(UTC) <= data.starts_at.astimezone(UTC):
        raise EventError("the event must end after it starts")
    if data.capacity is not None and data.capacity < 0:
        raise EventError("capacity cannot be negative")
    if data.format not in set(EventFormat):
        raise EventError(f"format must be one of {', '.join(EventFormat)}")
    _validate_registration_window(data)


def _validate_registration_window(data: EventInput) -> None:
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and closes <= opens:
        raise EventError("registration must close after it opens")
    if closes and closes > data.ends_at:
        raise EventError("registration must close before the event ends")


def create_event(*, session: Session, data: EventInput, uid: str | None = None) -> Event:
    validate_event(data)
    event = Event(
        uid=uid or new_uid(),
        slug=slugify(data.title),
        title="",
        starts_at=data.starts_at,
        ends_at=data.ends_at,
    )
    _copy_input(data, event)
    if event.status == EventStatus.PUBLISHED:
        event.published_at = utcnow()
    session.add(event)
    session.flush()
    return event


def update_event(*, session: Session, event: Event, data: EventInput) -> list[str]:
    """Apply an edit; returns the attendee-facing fields that changed."""
    validate_event(data)
    changed = [name for name in ATTENDEE_FACING if getattr(event, name) != getattr(data, name)]
    status = event.status  # publishing and cancelling have their own functions
    _copy_input(data, event)
    event.status = status
    event.slug = slugify(event.title)
    if changed:
        event.sequence += 1
    event.updated_at = utcnow()
    session.flush()
    return changed


def attendee_changes(before, after) -> list[AttendeeChange]:
    """What attendees would be told moved between two versions of an event (an Event or an
    EventInput): its time in its own zone, its place and its join link."""
    changes = []
    if (before.starts_at, before.ends_at, before.timezone) != (
        after.starts_at,
        after.ends_at,
        after.timezone,
    ):
        changes.append(AttendeeChange("When", event_when(before), event_when(after)))
    if event_where(before) != event_where(after):
        changes.append(AttendeeChange("Where", event_where(before), event_where(after)))
    old_link, new_link = _join_link(before), _join_link(after)
    if old_link != new_link:
        changes.append(AttendeeChange("Join link", old_link, new_link, private=True))
    return changes


def _join_link(event) -> str:
    if event.format == EventFormat.IN_PERSON or not event.join_url:
        return "none"
    return event.join_url


def publish_event(*, session: Session, event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise EventError("a cancelled event cannot be published again; duplicate it instead")
    if event.status != EventStatus.PUBLISHED:
        event.status, event.published_at = EventStatus.PUBLISHED, utcnow()
        event.updated_at = utcnow()
        session.flush()


def cancel_event(*, session: Session, event: Event, reason: str | None = None) -> bool:
    """True when this call cancelled it (callers then tell the people registered)."""
    if event.status == EventStatus.CANCELLED:
        return False
    event.status, event.sequence, event.updated_at = (
        EventStatus.CANCELLED,
        event.sequence + 1,
        utcnow(),
    )
    event.cancellation_reason = (reason or "").strip() or None
    session.flush()
    return True


def duplicate_event(*, session: Session, event: Event, starts_at: datetime | None = None) -> Event:
    """A draft copy, a week later at the same local time unless told otherwise."""
    data = _occurrence(input_from_event(event), "weekly", 1)
    if starts_at is not None:
        data.starts_at, data.ends_at = starts_at, starts_at + (event.ends_at - event.starts_at)
    data.status = EventStatus.DRAFT
    data.registration_opens_at = data.registration_closes_at = None
    copy = create_event(session=session, data=data)
    copy.copied_from_id = event.id
    session.flush()
    return copy


def create_series(*, session: Session, data: EventInput, repeat: str, count: int) -> list[Event]:
    """Weekly or monthly occurrences at the same local time, sharing a series id."""
    if repeat not in ("weekly", "monthly"):
        raise EventError("repeat must be weekly or monthly")
    if not 1 <= count <= MAX_SERIES_LENGTH:
        raise EventError(f"a series has between 1 and {MAX_SERIES_LENGTH} events")
    validate_event(data)
    series_id = uuid.uuid4().hex
    events = []
    for occurrence in range(count):
        event = create_event(session=session, data=_occurrence(data, repeat, occurrence))
        event.series_id = series_id
        events.append(event)
    session.flush()
    return events


def _occurrence(data: EventInput, repeat: str, number: int) -> EventInput:
    """Shifted in the event's own zone, so 18:30 stays 18:30 across daylight-saving changes."""
    zone = ZoneInfo(data.timezone)
    local_start = data.starts_at.astimezone(zone).replace(tzinfo=None)
    duration = data.ends_at - data.starts_at
    if repeat == "weekly":
        local = local_start + timedelta(weeks=number)
    else:
        local = _add_months(local_start, number)
    starts_at = local.replace(tzinfo=zone).astimezone(UTC)
    copy = EventInput(**{f.name: getattr(data, f.name) for f in fields(EventInput)})
    copy.starts_at, copy.ends_at = starts_at, starts_at + duration
    copy.tags = list(data.tags)
    copy.registration_opens_at = copy.registration_closes_at = None
    return copy


def _add_months(moment: datetime, months: int) -> datetime:
    """Same day of the month, or the month's last day when it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def input_from_event(event: Event) -> EventInput:
    return EventInput(
        **{f.name: getattr(event, f.name) for f in fields(EventInput) if f.name != "tags"},
        tags=list(event.tags or []),
    )


def _copy_input(data: EventInput, event: Event) -> None:
    for input_field in fields(EventInput):
        setattr(event, input_field.name, getattr(data, input_field.name))
    event.title = data.title.strip()
    event.tags = list(data.tags)


def new_uid() -> str:
    return f"{uuid.uuid4()}@community"


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:80] or "event"
