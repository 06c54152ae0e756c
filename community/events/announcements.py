"""Announcing events in Slack and telling registered people about changes."""

from flask import current_app
from sqlmodel import Session

from community.events import notifications
from community.events.formatting import event_when, event_where
from community.events.links import public_event_url
from community.events.registrations import people_to_tell
from community.models import Event
from community.models.types import utcnow
from community.slackbot.messaging import post_message
from integrations.slack.blocks import EventCard, event_blocks


def event_card(event: Event) -> EventCard:
    return EventCard(
        event_id=event.id,
        title=event.title,
        url=public_event_url(event),
        when=event_when(event),
        where=event_where(event),
    )


def announce_published(session: Session, event: Event) -> bool:
    """Once per event, in EVENTS_CHANNEL, with an RSVP button."""
    channel = current_app.config.get("EVENTS_CHANNEL")
    if not channel or event.announced_at is not None:
        return False
    card = event_card(event)
    if post_message(
        channel, f"New event: {event.title}", event_blocks([card], heading="New event")
    ):
        event.announced_at = utcnow()
        session.commit()
        return True
    return False


def tell_about_change(session: Session, event: Event) -> int:
    people = people_to_tell(session=session, event_id=event.id)
    for registration in people:
        notifications.tell_changed(session, event, registration)
    return len(people)


def tell_about_cancellation(session: Session, event: Event) -> int:
    people = people_to_tell(session=session, event_id=event.id)
    for registration in people:
        notifications.tell_cancelled(session, event, registration)
    return len(people)
