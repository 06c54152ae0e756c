"""Reminders 24 hours and 1 hour before an event, by email and Slack DM.

A reminder is remembered with the start time it was for, so an event that moves is
reminded again for its new time. The row and the reminder's outbox messages are written in
the same transaction: both are there or neither is.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

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
    """Records the reminder and queues its messages in one savepoint; False when another
    run recorded it first or the email cannot be composed."""
    registration = session.get(Registration, reminder.registration_id)
    event = session.get(Event, reminder.event_id)
    try:
        with session.begin_nested():
            for channel in _channels(session, registration):
                session.add(
                    EventReminder(
                        registration_id=registration.id,
                        lead=reminder.lead,
                        starts_at=event.starts_at,
                        channel=channel,
                    )
                )
            session.flush()
            if not tell_reminder(session, event, registration, reminder.lead):
                raise _NotQueued
    except (IntegrityError, _NotQueued):
        return False
    return True


class _NotQueued(Exception):
    """Undoes the reminder's savepoint when its email could not be queued."""


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
