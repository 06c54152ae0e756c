"""Sessions people put on their own agenda: Slack members by their member row, people on the
web by their registration."""

from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, select

from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    Member,
    Registration,
    RegistrationStatus,
    SessionStar,
)


class StarError(ValueError):
    """The session cannot be starred by this person; the message says why."""


def star(
    session: Session,
    conference_session: ConferenceSession,
    *,
    member: Member | None = None,
    registration: Registration | None = None,
) -> SessionStar:
    """Puts the session on the person's agenda; starring it again changes nothing."""
    existing = _star_of(session, conference_session, member=member, registration=registration)
    if existing is not None:
        return existing
    created = SessionStar(
        session_id=conference_session.id,
        member_id=member.id if member else None,
        registration_id=registration.id if registration else None,
    )
    session.add(created)
    session.flush()
    return created


def unstar(
    session: Session,
    conference_session: ConferenceSession,
    *,
    member: Member | None = None,
    registration: Registration | None = None,
) -> bool:
    """Takes the session off the person's agenda; says whether it was on it."""
    existing = _star_of(session, conference_session, member=member, registration=registration)
    if existing is None:
        return False
    session.delete(existing)
    session.flush()
    return True


def starred_session_ids(
    session: Session,
    conference_id: int,
    *,
    member: Member | None = None,
    registration: Registration | None = None,
) -> set[int]:
    """The sessions of one conference on the person's agenda."""
    statement = (
        select(SessionStar.session_id)
        .join(ConferenceSession, ConferenceSession.id == SessionStar.session_id)
        .where(ConferenceSession.conference_id == conference_id, _owner(member, registration))
    )
    return set(session.exec(statement))


def _star_of(session, conference_session, *, member, registration) -> SessionStar | None:
    statement = select(SessionStar).where(
        SessionStar.session_id == conference_session.id, _owner(member, registration)
    )
    return session.exec(statement).first()


def _owner(member: Member | None, registration: Registration | None):
    if (member is None) == (registration is None):
        raise StarError("A star belongs to a Slack member or to a registration, one of them.")
    if member is not None:
        return SessionStar.member_id == member.id
    return SessionStar.registration_id == registration.id


def linked_registrations(session: Session, member: Member, event_id: int) -> list[Registration]:
    """The member's own places at an event: linked to their member row, or under the email
    address Slack verified for them. Cancelled and lapsed places are not theirs any more."""
    owned = Registration.member_id == member.id
    if member.email:
        owned = owned | (func.lower(Registration.email) == member.email.lower())
    statement = select(Registration).where(
        Registration.event_id == event_id,
        owned,
        Registration.status.not_in([RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED]),
    )
    return list(session.exec(statement))


def member_of_registration(session: Session, registration: Registration) -> Member | None:
    """The Slack member a registration belongs to: the linked one, else one with its email."""
    if registration.member_id is not None:
        linked = session.get(Member, registration.member_id)
        if linked is not None and not linked.deleted:
            return linked
    statement = (
        select(Member)
        .where(func.lower(Member.email) == registration.email.lower(), Member.deleted.is_(False))
        .order_by(Member.id)
    )
    return session.exec(statement).first()


def agenda_of_member(
    session: Session, conference_id: int, event_id: int, member: Member
) -> set[int]:
    """Everything the member put on their agenda: starred in Slack or on the web."""
    starred = starred_session_ids(session, conference_id, member=member)
    for registration in linked_registrations(session, member, event_id):
        starred |= starred_session_ids(session, conference_id, registration=registration)
    return starred


def unstar_everywhere(
    session: Session, conference_session: ConferenceSession, member: Member, event_id: int
) -> bool:
    """Takes the session off the member's agenda, however they starred it."""
    removed = unstar(session, conference_session, member=member)
    for registration in linked_registrations(session, member, event_id):
        removed = unstar(session, conference_session, registration=registration) or removed
    return removed


def reader_zone(member: Member, conference_zone: str) -> str:
    """The zone to show a member times in: their own as Slack told it, else the conference's."""
    if not member.tz:
        return conference_zone
    try:
        ZoneInfo(member.tz)
    except (ZoneInfoNotFoundError, ValueError):
        return conference_zone
    return member.tz


def session_page_url(conference: Conference, conference_session: ConferenceSession) -> str:
    """The session's public page, absolute, for Slack messages."""
    acronym, slug = quote(conference.acronym), quote(conference_session.slug)
    return public_url(f"/conferences/{acronym}/sessions/{slug}")
