"""Reminders 24 hours and 1 hour before, by email and Slack DM, following a moved event."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import update
from sqlmodel import select

from community.db import session_scope
from community.events.registrations import Person, register
from community.events.reminders import due_reminders, send_reminder
from community.models import OutgoingEmail
from community.models.types import utcnow
from community.outbox.worker import deliver_outbox as outbox_job
from tests.helpers import deliver_outbox
from tests.mail_server import plain_text


@pytest.fixture(autouse=True)
def _pinned_clock():
    # Tuesday noon in Berlin: the event 30 hours on is Wednesday evening, so the reminder sent on
    # Tuesday evening rightly says "tomorrow"; no clock change falls in the two days ahead.
    with time_machine.travel(datetime(2026, 6, 9, 10, 0, tzinfo=UTC), tick=True):
        yield


def _run_reminders(app, now, *, mail_server_up: bool = True) -> int:
    with app.app_context(), session_scope() as session:
        queued = sum(send_reminder(session, due) for due in due_reminders(session, now))
    deliver_outbox(app)
    if not mail_server_up:
        return queued
    with app.app_context(), session_scope() as session:
        unsent = session.exec(select(OutgoingEmail).where(OutgoingEmail.status != "sent")).all()
    states = [(e.subject, e.status, e.attempts, e.next_attempt_at, e.last_error) for e in unsent]
    assert not states, f"reminders the outbox has not sent: {states}"
    return queued


def _registered(session, event, email="ada@example.org"):
    registration = register(session=session, event_id=event.id, person=Person("Ada", email))
    session.commit()
    return registration


def test_a_day_before_and_an_hour_before_each_remind_once(app, make_event, session, mail_server):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(hours=30))
    _registered(session, event)

    assert _run_reminders(app, now) == 0  # more than a day ahead
    assert _run_reminders(app, now + timedelta(hours=7)) == 1
    assert _run_reminders(app, now + timedelta(hours=8)) == 0  # already sent
    assert _run_reminders(app, now + timedelta(hours=29, minutes=10)) == 1

    subjects = [message["Subject"] for message in mail_server.to("ada@example.org")]
    assert subjects[-2:] == [
        f"Starting tomorrow at 18:00 CEST: {event.title}",
        f"Starting in an hour: {event.title}",
    ]


def test_the_day_before_reminder_names_the_day_by_the_event_s_calendar(
    app, make_event, session, mail_server
):
    """Sent just after midnight in Berlin, a reminder for that evening says "today"."""
    with time_machine.travel(datetime(2026, 6, 9, 22, 30, tzinfo=UTC), tick=True):
        now = utcnow()
        event = make_event(starts_at=now + timedelta(hours=20))  # 20:30 CEST, the same day
        _registered(session, event)
        assert _run_reminders(app, now) == 1

    reminder = mail_server.to("ada@example.org")[-1]
    assert reminder["Subject"] == f"Starting today at 20:30 CEST: {event.title}"
    assert f"{event.title} starts today at 20:30 CEST." in plain_text(reminder)


def test_a_moved_event_is_reminded_again_for_its_new_time(app, make_event, session):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(hours=20))
    _registered(session, event)
    assert _run_reminders(app, now) == 1

    event.starts_at += timedelta(days=2)
    event.ends_at += timedelta(days=2)
    session.commit()

    assert _run_reminders(app, now + timedelta(days=2)) == 1


def test_cancelled_registrations_and_events_get_no_reminder(app, make_event, session):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(hours=5))
    _registered(session, event)
    event.status = "cancelled"
    session.commit()

    assert _run_reminders(app, now) == 0


def test_someone_registering_at_the_last_minute_gets_only_the_nearest_reminder(
    app, make_event, session, mail_server
):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(minutes=50))
    _registered(session, event)

    assert _run_reminders(app, now) == 1
    assert mail_server.to("ada@example.org")[-1]["Subject"].startswith("Starting in an hour")


def test_a_reminder_held_back_by_a_mail_outage_arrives_once_the_server_is_back(
    app, make_app, make_event, session, mail_server
):
    now = utcnow()
    event = make_event(starts_at=now + timedelta(hours=5))
    _registered(session, event)
    outage = make_app(SMTP_URL="smtp://127.0.0.1:9")  # nothing listens there

    assert _run_reminders(outage, now, mail_server_up=False) == 1  # queued, not lost
    assert not [m for m in mail_server.to("ada@example.org") if "Starting" in m["Subject"]]
    assert _run_reminders(outage, now, mail_server_up=False) == 0  # and not queued twice

    with app.app_context():
        outbox_job()  # the retry job, once the mail server answers again: not due yet
        session.execute(update(OutgoingEmail).values(next_attempt_at=utcnow()))
        session.commit()
        outbox_job()
        outbox_job()

    reminders = [m for m in mail_server.to("ada@example.org") if "Starting" in m["Subject"]]
    assert len(reminders) == 1
