"""Reading published events."""

from sqlmodel import Session, select

from community.models import Event, EventStatus
from community.models.types import utcnow


def upcoming_events(*, session: Session, limit: int = 5) -> list[Event]:
    """Published events that have not ended, soonest first."""
    statement = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at)
        .limit(limit)
    )
    return list(session.exec(statement))
