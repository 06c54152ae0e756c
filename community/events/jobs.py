"""Scheduled work for events; the scheduler calls these inside an app context."""

import logging

from community.config import settings
from community.db import session_scope
from community.events.announcements import announce_unannounced
from community.events.notifications import tell_promoted
from community.events.registrations import release_lapsed_holds
from community.events.reminders import due_reminders, send_reminder
from community.models import Event
from community.models.types import utcnow

log = logging.getLogger("community.events")


def send_due_reminders() -> None:
    with session_scope() as session:
        sent = sum(send_reminder(session, due) for due in due_reminders(session, utcnow()))
    if sent:
        log.info("sent %d event reminders", sent)


def release_unconfirmed_holds() -> None:
    """Places held for RSVPs whose email was not confirmed in time go to the waitlist."""
    with session_scope() as session:
        promoted = release_lapsed_holds(session=session, now=utcnow())
        for registration in promoted:
            tell_promoted(session, session.get(Event, registration.event_id), registration)
    if promoted:
        log.info("gave %d places freed by unconfirmed RSVPs to the waitlist", len(promoted))


def import_configured_calendars() -> None:
    """Each calendar in EVENTS_IMPORT_URLS; one failing never stops the others."""
    from community.events.importing import (  # icalendar: only when there is work for it
        ImportError_,
        import_calendar,
        read_calendar,
        tell_about_imported_changes,
    )

    for location in settings().EVENTS_IMPORT_URLS:
        try:
            address, data = read_calendar(location)
            with session_scope() as session:
                report = import_calendar(session=session, address=address, data=data)
                tell_about_imported_changes(session, report)
        except ImportError_ as error:
            log.warning("calendar import failed: %s", error)
            continue
        log.info(
            "imported %s: %d new, %d updated, %d skipped",
            location,
            report.created,
            report.updated,
            len(report.skipped),
        )


def announce_new_events() -> None:
    if not settings().EVENTS_CHANNEL:
        return
    with session_scope() as session:
        announced = announce_unannounced(session)
    if announced:
        log.info("announced %d events in Slack", announced)
