"""Events as iCalendar: one event, the feed of all published events, and imports."""

from sqlmodel import Session, select

from community.config import settings
from community.links import public_event_url
from community.models import Event, EventStatus
from community.rich_text import html_to_text, markdown_to_html
from integrations.calendar.ics import CalendarEvent, build_calendar


def event_calendar(events: list[Event], *, name: str | None = None) -> bytes:
    return build_calendar(
        [_calendar_event(event) for event in events],
        name=name or settings().COMMUNITY_NAME,
        product_id=f"-//{settings().COMMUNITY_NAME}//Community events//EN",
    )


def published_events(session: Session) -> list[Event]:
    """Published and cancelled ones, so calendars that subscribed see the cancellation."""
    statement = (
        select(Event)
        .where(
            Event.status.in_((EventStatus.PUBLISHED, EventStatus.CANCELLED)),
            Event.published_at.is_not(None),
        )
        .order_by(Event.starts_at)
    )
    return list(session.exec(statement))


def _calendar_event(event: Event) -> CalendarEvent:
    where = ", ".join(part for part in (event.venue, event.address) if part)
    return CalendarEvent(
        uid=event.uid,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        description=html_to_text(markdown_to_html(event.description)),
        location=where or ("Online" if event.format == "online" else None),
        url=public_event_url(event),
        cancelled=event.status == EventStatus.CANCELLED,
        sequence=event.sequence,
        last_modified=event.updated_at,
        categories=tuple(event.tags or ()),
    )
