"""Scheduled work for conferences; the scheduler calls these inside an app context."""

import logging

from community.conferences.star_reminders import send_due_star_reminders
from community.db import session_scope
from community.models.types import utcnow

log = logging.getLogger("community.conferences")


def remind_starred_sessions() -> None:
    """The Slack DM 10 minutes before each session someone starred."""
    with session_scope() as session:
        sent = send_due_star_reminders(session, utcnow())
    if sent:
        log.info("queued %d starred-session reminders", sent)
