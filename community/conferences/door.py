"""Checking people in at the door of a conference's sessions, and how full each one was.

A person checked in at a session's door is checked in at the conference too: the event's
check-in is the one that lets them in, a session's only records that they came to it."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.conferences.programme import event_of, sessions_of
from community.events.check_in import CheckIn, CheckInRefused, check_in
from community.models import (
    Conference,
    ConferenceSession,
    Registration,
    RegistrationStatus,
    SessionAttendance,
    SessionKind,
    SessionStar,
    Stage,
)
from community.models.types import utcnow


@dataclass(frozen=True)
class DoorCheckIn:
    """The event's check-in, and the session's when the helper stands at a session's door."""

    entry: CheckIn
    conference_session: ConferenceSession | None = None
    attendance: SessionAttendance | None = None
    already_at_session: bool = False

    @property
    def changed(self) -> bool:
        if self.conference_session is None:
            return not self.entry.already
        return not self.already_at_session

    @property
    def message(self) -> str:
        if self.conference_session is None:
            return self.entry.message
        name, title = self.entry.registration.name, self.conference_session.title
        if self.already_at_session:
            when, by = self.attendance.checked_in_at, self.attendance.checked_in_by
            clock = f"{when.astimezone(ZoneInfo(self.entry.timezone)):%H:%M}"
            return f"{name} is already checked in at “{title}” at {clock} by {by}."
        return f"{name} is checked in at “{title}”."


@dataclass(frozen=True)
class SessionAttendanceRow:
    conference_session: ConferenceSession
    stage: str
    starred: int  # registered people who put it on their agenda
    checked_in: int  # people checked in at its door
    no_shows: int | None  # starred and never checked in at its door, once it has ended


def door_sessions(session: Session, conference: Conference) -> list[ConferenceSession]:
    """The sessions a helper can stand at the door of: placed ones, breaks left out."""
    return [
        item
        for item in sessions_of(session, conference)
        if item.starts_at is not None and item.kind != SessionKind.BREAK
    ]


def session_of(
    session: Session, conference: Conference, session_id: int | None
) -> ConferenceSession | None:
    if session_id is None:
        return None
    found = session.get(ConferenceSession, session_id)
    if found is None or found.conference_id != conference.id:
        raise CheckInRefused("That session is not part of this conference.")
    return found


def check_in_at_door(
    session: Session,
    conference: Conference,
    token_or_code: str,
    by: str,
    conference_session: ConferenceSession | None = None,
) -> DoorCheckIn:
    """Checks the person in at the conference and, at a session's door, at that session."""
    entry = check_in(session, event_of(session, conference), token_or_code, by)
    if conference_session is None:
        return DoorCheckIn(entry)
    attendance, first_time = _record_attendance(session, conference_session, entry.registration, by)
    return DoorCheckIn(entry, conference_session, attendance, already_at_session=not first_time)


def _record_attendance(
    session: Session, conference_session: ConferenceSession, registration: Registration, by: str
) -> tuple[SessionAttendance, bool]:
    """The person's check-in at that session, and whether it is new."""
    existing = _attendance_of(session, conference_session, registration)
    if existing is not None:
        return existing, False
    attendance = SessionAttendance(
        session_id=conference_session.id, registration_id=registration.id, checked_in_by=by
    )
    try:
        with session.begin_nested():  # two helpers at the same door with the same person
            session.add(attendance)
    except IntegrityError:
        return _attendance_of(session, conference_session, registration), False
    return attendance, True


def _attendance_of(session: Session, conference_session, registration) -> SessionAttendance | None:
    statement = select(SessionAttendance).where(
        SessionAttendance.session_id == conference_session.id,
        SessionAttendance.registration_id == registration.id,
    )
    return session.exec(statement).first()


def session_attendance(
    session: Session, conference: Conference, now: datetime | None = None
) -> list[SessionAttendanceRow]:
    """Per session: who meant to come (starred it), who came, who meant to and did not."""
    now = now or utcnow()
    event = event_of(session, conference)
    starred = _starred_pairs(session, conference, event.id)
    attended = _attended_pairs(session, conference)
    stages = {
        stage.id: stage.name
        for stage in session.exec(select(Stage).where(Stage.conference_id == conference.id))
    }
    rows = []
    for item in door_sessions(session, conference):
        wanted = {person for session_id, person in starred if session_id == item.id}
        came = {person for session_id, person in attended if session_id == item.id}
        ended = item.ends_at <= now
        rows.append(
            SessionAttendanceRow(
                item,
                stages.get(item.stage_id, ""),
                len(wanted),
                len(came),
                len(wanted - came) if ended else None,
            )
        )
    return rows


def local_start(conference_session: ConferenceSession, timezone: str) -> str:
    """'Tue 12 Dec 10:00', in the conference's zone."""
    local = conference_session.starts_at.astimezone(ZoneInfo(timezone))
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def _starred_pairs(session: Session, conference: Conference, event_id: int) -> set[tuple]:
    """(session, registration) for each registered person's star, from the web or Slack."""
    statement = (
        select(SessionStar.session_id, Registration.id)
        .join(ConferenceSession, ConferenceSession.id == SessionStar.session_id)
        .join(
            Registration,
            or_(
                Registration.id == SessionStar.registration_id,
                and_(
                    SessionStar.member_id.is_not(None),
                    Registration.member_id == SessionStar.member_id,
                ),
            ),
        )
        .where(
            ConferenceSession.conference_id == conference.id,
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    return set(session.exec(statement))


def _attended_pairs(session: Session, conference: Conference) -> set[tuple]:
    statement = (
        select(SessionAttendance.session_id, SessionAttendance.registration_id)
        .join(ConferenceSession, ConferenceSession.id == SessionAttendance.session_id)
        .where(ConferenceSession.conference_id == conference.id)
    )
    return set(session.exec(statement))
