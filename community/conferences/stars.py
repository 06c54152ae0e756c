"""Sessions people put on their own agenda: Slack members by their member row, people on the
web by their registration."""

from sqlmodel import Session, select

from community.models import ConferenceSession, Member, Registration, SessionStar


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
