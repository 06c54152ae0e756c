"""A Slack DM 10 minutes before each session someone starred, through the outbox.

Starred in Slack, the DM goes to that member; starred on the web, to the member the
registration is linked to (or who has its email address). A star remembers the start its
reminder was for (`SessionStar.reminded_for`), so a moved session is reminded again for its
new start and a second run sends nothing. Only sessions that have not begun are reminded:
a scheduler paused past a start sends nothing late. One person who starred a session both
ways gets one DM.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from community.conferences.programme import speakers_of_sessions
from community.conferences.stars import (
    linked_registrations,
    member_of_registration,
    reader_zone,
    session_page_url,
)
from community.config import settings
from community.events.registrations import awaits_confirmation
from community.links import public_event_url
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    Member,
    Registration,
    RegistrationStatus,
    SessionStar,
    Stage,
    StageKind,
)
from community.outbox import queue_slack_message
from integrations.slack.agenda_blocks import SessionReminder, reminder_message

LEAD = timedelta(minutes=10)
KEPT_PLACES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


@dataclass
class DueStarReminder:
    """The stars of one person on one session whose reminder is due."""

    session_id: int
    member_id: int
    star_ids: list[int] = field(default_factory=list)
    already_reminded: bool = False  # one of their stars was reminded for this start


def due_star_reminders(session: Session, now: datetime) -> list[DueStarReminder]:
    """Per person and session starting within the lead, the stars not yet reminded."""
    due: dict[tuple[int, int], DueStarReminder] = {}
    for star, starts_at in session.exec(_stars_starting_soon(now)):
        member = _recipient(session, star)
        if member is None:
            continue
        reminder = due.setdefault(
            (star.session_id, member.id), DueStarReminder(star.session_id, member.id)
        )
        if star.reminded_for == starts_at:
            reminder.already_reminded = True
        else:
            reminder.star_ids.append(star.id)
    return [reminder for reminder in due.values() if reminder.star_ids]


def send_star_reminder(session: Session, due: DueStarReminder, now: datetime) -> bool:
    """Marks the stars reminded for the session's start and queues the DM, in the caller's
    transaction; False when another run marked them first or one DM already went."""
    item = session.get(ConferenceSession, due.session_id)
    claimed = session.execute(
        update(SessionStar)
        .where(
            SessionStar.id.in_(due.star_ids),
            or_(SessionStar.reminded_for.is_(None), SessionStar.reminded_for != item.starts_at),
        )
        .values(reminded_for=item.starts_at)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if not claimed or due.already_reminded:
        return False
    member = session.get(Member, due.member_id)
    text, blocks = reminder_message(_reminder(session, item, member, now))
    return queue_slack_message(session, channel=member.slack_id, text=text, blocks=blocks)


def send_due_star_reminders(session: Session, now: datetime) -> int:
    """Queues every reminder due at `now`; how many DMs were queued."""
    if not settings().SLACK_BOT_TOKEN:
        return 0  # nowhere to send: the stars stay unreminded until Slack is on
    return sum(send_star_reminder(session, due, now) for due in due_star_reminders(session, now))


def _stars_starting_soon(now: datetime):
    return (
        select(SessionStar, ConferenceSession.starts_at)
        .join(ConferenceSession, ConferenceSession.id == SessionStar.session_id)
        .join(Conference, Conference.id == ConferenceSession.conference_id)
        .join(Event, Event.id == Conference.event_id)
        .where(
            ConferenceSession.starts_at > now,
            ConferenceSession.starts_at <= now + LEAD,
            ConferenceSession.stage_id.is_not(None),
            Conference.agenda_published_at.is_not(None),
            Event.status == EventStatus.PUBLISHED,
        )
        .order_by(SessionStar.id)
    )


def _recipient(session: Session, star: SessionStar) -> Member | None:
    """Who gets the DM: the member who starred, or the one the registration belongs to."""
    if star.member_id is not None:
        member = session.get(Member, star.member_id)
    else:
        registration = session.get(Registration, star.registration_id)
        if registration.status not in (
            RegistrationStatus.REGISTERED,
            RegistrationStatus.WAITLISTED,
        ):
            return None
        member = member_of_registration(session, registration)
    if member is None or member.deleted or member.is_bot:
        return None
    return member


def _reminder(
    session: Session, item: ConferenceSession, member: Member, now: datetime
) -> SessionReminder:
    conference = session.get(Conference, item.conference_id)
    event = session.get(Event, conference.event_id)
    stage = session.get(Stage, item.stage_id)
    speakers = speakers_of_sessions(session, [item.id])[item.id]
    streamed = stage.kind == StageKind.VIRTUAL and bool(stage.stream_url)
    may_join = streamed and _holds_a_place(session, member, event.id)
    return SessionReminder(
        title=item.title,
        url=session_page_url(conference, item),
        stage=stage.name,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        minutes_left=max(1, math.ceil((item.starts_at - now).total_seconds() / 60)),
        speakers=[speaker.name for speaker in speakers],
        conference_zone=event.timezone,
        reader_zone=reader_zone(member, event.timezone),
        join_url=stage.stream_url if may_join else None,
        register_url=public_event_url(event) if streamed and not may_join else None,
    )


def _holds_a_place(session: Session, member: Member, event_id: int) -> bool:
    """Join links go only to people holding a confirmed place, as in the event's emails."""
    return any(
        registration.status == RegistrationStatus.REGISTERED
        and not awaits_confirmation(registration)
        for registration in linked_registrations(session, member, event_id)
    )
