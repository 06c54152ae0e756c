"""The one follow-up email after a conference: the recordings and slides of the sessions each
registered person attended or starred (else every recorded session), and a link to rate them.

Each email is queued in the outbox in the same transaction as the row that says it was sent,
and that row is unique per registration: a second run, or a run after one that crashed, sends
nobody twice.
"""

from dataclasses import dataclass
from datetime import datetime

import css_inline
from flask import render_template
from sqlalchemy import or_
from sqlmodel import Session, select

from community.conferences.feedback import survey_url
from community.conferences.programme import event_of, speakers_of_sessions
from community.knowledge.items import web_url
from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    Registration,
    RegistrationStatus,
    SessionAttendance,
    SessionKind,
    SessionStar,
)
from community.models.conferences import FollowUpEmail
from community.models.types import utcnow
from community.outbox import queue_email
from community.person_names import name_for_email
from community.plurals import counted


class FollowUpError(ValueError):
    """The follow-up cannot go out yet; the message says why."""


@dataclass
class FollowUpResult:
    sent: int = 0
    already_sent: int = 0
    refused: int = 0  # addresses an email can never be sent to

    def summary(self) -> str:
        text = f"Follow-up email sent to {counted(self.sent, 'person')}"
        if self.already_sent:
            text += f"; {counted(self.already_sent, 'person')} had it already"
        if self.refused:
            text += f"; {counted(self.refused, 'address')} could not be written to"
        return text + "."


def recorded_sessions(session: Session, conference: Conference) -> list[ConferenceSession]:
    """Sessions with a recording or slides, in agenda order."""
    statement = (
        select(ConferenceSession)
        .where(
            ConferenceSession.conference_id == conference.id,
            ConferenceSession.kind != SessionKind.BREAK,
            or_(
                ConferenceSession.recording_url.is_not(None),
                ConferenceSession.slides_url.is_not(None),
            ),
        )
        .order_by(ConferenceSession.starts_at, ConferenceSession.title)
    )
    return list(session.exec(statement))


def own_session_ids(session: Session, conference: Conference, registration: Registration) -> set:
    """The sessions this person was checked in at or starred, themselves or as a member."""
    in_conference = select(ConferenceSession.id).where(
        ConferenceSession.conference_id == conference.id
    )
    attended = select(SessionAttendance.session_id).where(
        SessionAttendance.registration_id == registration.id,
        SessionAttendance.session_id.in_(in_conference),
    )
    starred_by = [SessionStar.registration_id == registration.id]
    if registration.member_id is not None:
        starred_by.append(SessionStar.member_id == registration.member_id)
    starred = select(SessionStar.session_id).where(
        or_(*starred_by), SessionStar.session_id.in_(in_conference)
    )
    return set(session.exec(attended)) | set(session.exec(starred))


@dataclass(frozen=True)
class Selection:
    sessions: list[ConferenceSession]
    personal: bool  # the person's own sessions, rather than every recorded one


def sessions_for(session: Session, conference: Conference, registration: Registration) -> Selection:
    """What one person's email lists and their survey asks about."""
    recorded = recorded_sessions(session, conference)
    own = own_session_ids(session, conference, registration)
    theirs = [item for item in recorded if item.id in own]
    return Selection(theirs, True) if theirs else Selection(recorded, False)


def send_follow_up(
    session: Session, conference: Conference, *, now: datetime | None = None
) -> FollowUpResult:
    """Queues the email for every registered person who has not had it yet."""
    now = now or utcnow()
    event = event_of(session, conference)
    if event.ends_at > now:
        raise FollowUpError(f"{event.title} has not ended yet; send the follow-up once it is over.")
    recorded = recorded_sessions(session, conference)
    if not recorded:
        raise FollowUpError(
            "No session has a recording or slides yet: add them first, since each person "
            "gets the follow-up only once."
        )
    speakers = speakers_of_sessions(session, [item.id for item in recorded])
    already = set(
        session.exec(
            select(FollowUpEmail.registration_id).where(
                FollowUpEmail.conference_id == conference.id
            )
        )
    )
    result = FollowUpResult()
    for registration in _registered(session, event.id):
        if registration.id in already:
            result.already_sent += 1
            continue
        selection = sessions_for(session, conference, registration)
        if _queue(session, conference, event, registration, selection, speakers):
            result.sent += 1
        else:
            result.refused += 1
        session.add(FollowUpEmail(conference_id=conference.id, registration_id=registration.id))
    if result.sent and conference.follow_up_sent_at is None:
        conference.follow_up_sent_at = now
    session.flush()
    return result


def _registered(session: Session, event_id: int) -> list[Registration]:
    statement = (
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .order_by(Registration.id)
    )
    return list(session.exec(statement))


def _queue(session, conference, event, registration, selection, speakers) -> bool:
    subject = f"Recordings and slides from {event.title}"
    context = {
        "subject": subject,
        "event": event,
        "name": name_for_email(registration.name),
        "sessions": selection.sessions,
        "speakers": speakers,
        "personal": selection.personal,
        "survey_url": survey_url(conference, registration),
        "web_url": web_url,  # an imported schedule's links are shown only if http(s)
        "agenda_url": public_url(f"/conferences/{conference.acronym}"),
    }
    text = render_template("conferences/email/follow_up.txt", **context)
    html = css_inline.inline(render_template("conferences/email/follow_up.html", **context))
    return queue_email(session, to=registration.email, subject=subject, text=text, html=html)
