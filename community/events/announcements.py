"""Announcing events in Slack and telling registered people about changes."""

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import Session, select

from community.config import settings
from community.events import notifications
from community.events.formatting import event_when, event_where
from community.events.registrations import people_to_tell
from community.events.services import AttendeeChange
from community.links import public_event_url
from community.models import Event, EventStatus
from community.models.types import utcnow
from community.outbox import queue_slack_message
from integrations.slack.blocks import EventCard, event_blocks
from integrations.slack.text import escape


def event_card(event: Event) -> EventCard:
    return EventCard(
        event_id=event.id,
        title=event.title,
        url=public_event_url(event),
        when=event_when(event),
        where=event_where(event),
    )


def announce_published(session: Session, event: Event) -> bool:
    """Once per event, in EVENTS_CHANNEL, with an RSVP button; the outbox retries it."""
    channel = settings().EVENTS_CHANNEL
    if not channel or not settings().SLACK_BOT_TOKEN:
        return False
    if not _claim_announcement(session, event):
        return False
    return queue_slack_message(
        session,
        channel=channel,
        text=f"New event: {escape(event.title)}",
        blocks=event_blocks([event_card(event)], heading="New event"),
    )


def _claim_announcement(session: Session, event: Event) -> bool:
    """A double-clicked Publish, or two processes, must not announce twice: the second
    transaction's conditional update matches no row once the first has committed."""
    claimed = session.execute(
        update(Event)
        .where(Event.id == event.id, Event.announced_at.is_(None))
        .values(announced_at=utcnow())
    )
    return claimed.rowcount == 1


def announce_unannounced(session: Session) -> int:
    """Published upcoming events not announced yet: imports, or Slack down at publishing."""
    statement = select(Event).where(
        Event.status == EventStatus.PUBLISHED,
        Event.announced_at.is_(None),
        Event.starts_at > utcnow(),
    )
    return sum(announce_published(session, event) for event in session.exec(statement).all())


def tell_about_change(
    session: Session,
    event: Event,
    changes: Sequence[AttendeeChange] = (),
    reason: str | None = None,
) -> int:
    people = people_to_tell(session=session, event_id=event.id)
    for registration in people:
        notifications.tell_changed(session, event, registration, changes, reason)
    return len(people)


def tell_about_cancellation(session: Session, event: Event) -> int:
    people = people_to_tell(session=session, event_id=event.id)
    for registration in people:
        notifications.tell_cancelled(session, event, registration)
    return len(people)
