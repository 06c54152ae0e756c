"""Creating and changing events, as plain functions taking a session."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from community.models import Event, EventFormat, EventStatus


class EventError(ValueError):
    pass


@dataclass
class EventInput:
    title: str
    starts_at: datetime  # timezone-aware
    ends_at: datetime
    timezone: str
    description: str = ""
    kind: str = "meetup"
    format: str = EventFormat.ONLINE
    venue: str | None = None
    address: str | None = None
    join_url: str | None = None
    capacity: int | None = None
    tags: list[str] = field(default_factory=list)
    status: str = EventStatus.DRAFT


def validate_event(data: EventInput) -> None:
    if not data.title.strip():
        raise EventError("an event needs a title")
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise EventError(f"{data.timezone!r} is not a known time zone") from error
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise EventError("start and end need a time zone")
    if data.ends_at <= data.starts_at:
        raise EventError("the event must end after it starts")
    if data.capacity is not None and data.capacity < 0:
        raise EventError("capacity cannot be negative")
    if data.format not in set(EventFormat):
        raise EventError(f"format must be one of {', '.join(EventFormat)}")


def create_event(*, session: Session, data: EventInput, uid: str | None = None) -> Event:
    validate_event(data)
    event = Event(
        uid=uid or f"{uuid.uuid4()}@community",
        slug=slugify(data.title),
        title=data.title.strip(),
        description=data.description,
        kind=data.kind,
        format=data.format,
        venue=data.venue,
        address=data.address,
        join_url=data.join_url,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        timezone=data.timezone,
        capacity=data.capacity,
        tags=list(data.tags),
        status=data.status,
    )
    session.add(event)
    session.flush()
    return event


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:80] or "event"
