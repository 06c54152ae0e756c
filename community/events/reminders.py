"""Reminders 24 hours and 1 hour before an event, by email and Slack DM.

A reminder is remembered with the start time it was for, so an event that moves is
reminded again for its new time. The row is written before the message goes out: a crash
in between loses one reminder rather than sending it twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.events.notifications import tell_reminder
from community.models import (
    Event,
    EventReminder,
    EventStatus,
    Member,
    Registration,
    RegistrationStatus,
)
from community.models.events import ReminderChannel

LEADS = (("1h", timedelta(hours=1)), ("24h", timedelta(hours=24)))  # nearest first


@dataclass(frozen=True)
class DueReminder:
    registration_id: int
    event_id: int
    lead: str


def due_reminders(session: Session, now: datetime) -> list[DueReminder]:
    """For each registration, the nearest reminder whose time has come and was not sent."""
    horizon = now + LEADS[-1][1]
    statement = (
        select(Registration, Event)
        .join(Event, Registration.event_id == Event.id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= horizon,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    due = []
    for registration, event in session.exec(statement):
        lead = _nearest_lead(event.starts_at - now)
        if lead and not _reminded(session, registration.id, event.starts_at, lead):
            due.append(DueReminder(registration.id, event.id, lead))
    return due


def send_reminder(session: Session, reminder: DueReminder) -> bool:
    """Claims the reminder, commits, then sends; False when another run claimed it."""
    registration = session.get(Registration, reminder.registration_id)
    event = session.get(Event, reminder.event_id)
    for channel in _channels(session, registration):
        session.add(
            EventReminder(
                registration_id=registration.id,
                lead=reminder.lead,
                starts_at=event.starts_at,
                channel=channel,
            )
        )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    if not tell_reminder(session, event, registration, reminder.lead):
        _release(session, registration.id, event.starts_at, reminder.lead)
        return False
    return True


def _release(session: Session, registration_id: int, starts_at: datetime, lead: str) -> None:
    """The email did not go out (mail server down): let the next run try again."""
    session.execute(
        delete(EventReminder).where(
            EventReminder.registration_id == registration_id,
            EventReminder.starts_at == starts_at,
            EventReminder.lead == lead,
        )
    )
    session.commit()


def _nearest_lead(time_left: timedelta) -> str | None:
    """Only the nearest: someone registering 50 minutes before gets the 1-hour reminder alone."""
    for lead, before in LEADS:
        if time_left <= before:
            return lead
    return None


def _reminded(session: Session, registration_id: int, starts_at: datetime, lead: str) -> bool:
    statement = select(EventReminder.id).where(
        EventReminder.registration_id == registration_id,
        EventReminder.starts_at == starts_at,
        EventReminder.lead == lead,
    )
    return session.exec(statement).first() is not None


def _channels(session: Session, registration: Registration) -> list[str]:
    has_slack = registration.member_id and session.get(Member, registration.member_id)
    return [ReminderChannel.EMAIL] + ([ReminderChannel.SLACK] if has_slack else [])
