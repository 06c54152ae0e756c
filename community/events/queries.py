"""Reading published events for the public pages, the home page and Slack."""

from dataclasses import dataclass

from sqlmodel import Session, select

from community.models import Event, EventStatus
from community.models.types import utcnow


@dataclass(frozen=True)
class EventFilters:
    kinds: list[str]
    formats: list[str]
    tags: list[str]


def upcoming_events(
    *,
    session: Session,
    limit: int = 5,
    kind: str | None = None,
    format: str | None = None,  # noqa: A002  (the field's name)
    tag: str | None = None,
) -> list[Event]:
    """Published events that have not ended, soonest first, optionally filtered."""
    statement = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at)
    )
    if kind:
        statement = statement.where(Event.kind == kind)
    if format:
        statement = statement.where(Event.format == format)
    events = list(session.exec(statement))
    if tag:  # tags are a JSON list; filtering here keeps one query for both databases
        events = [event for event in events if tag in (event.tags or [])]
    return events[:limit]


def past_events(*, session: Session, limit: int = 100) -> list[Event]:
    statement = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at < utcnow())
        .order_by(Event.starts_at.desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def event_filters(*, session: Session) -> EventFilters:
    """The kinds, formats and tags that upcoming events actually have."""
    events = upcoming_events(session=session, limit=1000)
    return EventFilters(
        kinds=sorted({event.kind for event in events}),
        formats=sorted({event.format for event in events}),
        tags=sorted({tag for event in events for tag in event.tags or []}),
    )
