"""Telling people about their registration and about changes, by email and Slack DM.

The messages are queued in the outbox inside the change's own transaction, so one never
announces something that was rolled back, and a mail or Slack outage only delays them.
"""

from datetime import timedelta

from sqlmodel import Session

from community.events.formatting import event_when, event_where
from community.events.tokens import registration_token
from community.links import public_event_url, public_url
from community.models import Event, EventFormat, Member, Registration, RegistrationStatus
from community.models.types import utcnow
from community.outbox import queue_email, queue_slack_message
from integrations.slack.text import escape


def manage_url(registration: Registration) -> str:
    return public_url(f"/events/registration/{registration_token(registration.id)}")


def calendar_url(event: Event) -> str:
    return public_url(f"/events/{event.id}.ics")


def tell_registration(session: Session, event: Event, registration: Registration) -> None:
    if registration.status == RegistrationStatus.WAITLISTED:
        subject = f"You are on the waitlist: {event.title}"
        opening = (
            "The event is full, so you are on the waitlist. If a place frees up it is "
            "yours automatically, and we will tell you."
        )
    else:
        subject = f"You are registered: {event.title}"
        opening = "Your place is confirmed."
    _tell(session, registration, subject, _details(event, registration, opening))


def tell_promoted(session: Session, event: Event, registration: Registration) -> None:
    opening = "A place opened up and it is yours: you moved from the waitlist to registered."
    _tell(
        session,
        registration,
        f"You have a place: {event.title}",
        _details(event, registration, opening),
    )


def tell_reminder(session: Session, event: Event, registration: Registration, lead: str) -> bool:
    """True when the email was queued (the Slack DM is a courtesy on top)."""
    soon = "in an hour" if lead == "1h" else _in_hours(event.starts_at - utcnow())
    opening = f"A reminder: {event.title} starts {soon}."
    subject = f"Starting {soon}: {event.title}"
    return _tell(session, registration, subject, _details(event, registration, opening))


def _in_hours(time_left: timedelta) -> str:
    hours = round(time_left.total_seconds() / 3600)
    return "tomorrow" if hours >= 16 else f"in {max(hours, 1)} hours"


def tell_changed(session: Session, event: Event, registration: Registration) -> None:
    opening = "The organisers changed this event. Here are the details as they are now."
    _tell(session, registration, f"Changed: {event.title}", _details(event, registration, opening))


def tell_cancelled(session: Session, event: Event, registration: Registration) -> None:
    text = (
        f"{event.title} ({event_when(event)}) has been cancelled by the organisers.\n"
        "Sorry for the change of plans. Other events: "
        f"{public_url('/events')}\n"
    )
    _tell(session, registration, f"Cancelled: {event.title}", text)


def _details(event: Event, registration: Registration, opening: str) -> str:
    lines = [
        f"Hello {registration.name},",
        "",
        opening,
        "",
        event.title,
        f"When: {event_when(event)}",
        f"Where: {event_where(event)}",
    ]
    if (
        event.join_url
        and event.format != EventFormat.IN_PERSON
        and registration.status == RegistrationStatus.REGISTERED
    ):
        lines.append(f"Join online: {event.join_url}")
    lines += [
        f"Event page: {public_event_url(event)}",
        f"Add to your calendar: {calendar_url(event)}",
        "",
        f"Can't make it? Cancel here so someone else can come: {manage_url(registration)}",
    ]
    return "\n".join(lines) + "\n"


def _tell(session: Session, registration: Registration, subject: str, text: str) -> bool:
    queued = queue_email(session, to=registration.email, subject=subject, text=text)
    member = session.get(Member, registration.member_id) if registration.member_id else None
    if member is not None:
        queue_slack_message(
            session, channel=member.slack_id, text=f"*{escape(subject)}*\n{escape(text)}"
        )
    return queued
