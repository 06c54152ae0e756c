"""The follow-up survey: a signed link per registration, one rating (1 to 5) and an optional
comment per session, changeable; and what organisers read from the answers."""

from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select

from community.config import settings
from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    Registration,
    RegistrationStatus,
    SessionFeedback,
)
from community.models.types import utcnow

SALT = "conference-feedback"
RATINGS = (1, 2, 3, 4, 5)
MAX_COMMENT = 2000


def survey_token(conference: Conference, registration: Registration) -> str:
    return _serializer().dumps([conference.id, registration.id])


def survey_url(conference: Conference, registration: Registration) -> str:
    token = survey_token(conference, registration)
    return public_url(f"/conferences/{conference.acronym}/feedback/{token}")


def registration_for(session: Session, conference: Conference, token: str) -> Registration | None:
    """The registered person the token was made for at this conference; None for a forged
    token, one of another conference, or a place since given up."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and value[0] == conference.id):
        return None
    if not isinstance(value[1], int) or isinstance(value[1], bool):
        return None
    registration = session.get(Registration, value[1])
    if registration is None or registration.event_id != conference.event_id:
        return None
    return registration if registration.status == RegistrationStatus.REGISTERED else None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().SECRET_KEY, salt=SALT)


def answers_of(session: Session, registration: Registration) -> dict[int, SessionFeedback]:
    statement = select(SessionFeedback).where(SessionFeedback.registration_id == registration.id)
    return {answer.session_id: answer for answer in session.exec(statement)}


def save_answer(
    session: Session,
    registration: Registration,
    conference_session: ConferenceSession,
    *,
    rating: int,
    comment: str,
) -> SessionFeedback:
    """The person's one answer about the session, replacing an earlier one."""
    if rating not in RATINGS:
        raise ValueError("a rating is a whole number from 1 to 5")
    statement = select(SessionFeedback).where(
        SessionFeedback.session_id == conference_session.id,
        SessionFeedback.registration_id == registration.id,
    )
    answer = session.exec(statement).first()
    if answer is None:
        answer = SessionFeedback(
            session_id=conference_session.id, registration_id=registration.id, rating=rating
        )
        session.add(answer)
    answer.rating = rating
    answer.comment = comment.strip()[:MAX_COMMENT]
    answer.updated_at = utcnow()
    session.flush()
    return answer


@dataclass
class SessionResults:
    conference_session: ConferenceSession
    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    comments: list[tuple[int, str]] = field(default_factory=list)  # (rating, comment)

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    def share(self, rating: int) -> int:
        """Percent of the answers that gave this rating, for the bar."""
        return round(100 * self.distribution[rating] / self.count) if self.count else 0


def results(session: Session, conference: Conference) -> list[SessionResults]:
    """Per session that has answers, in agenda order: count, average, distribution, comments."""
    statement = (
        select(SessionFeedback, ConferenceSession)
        .join(ConferenceSession, ConferenceSession.id == SessionFeedback.session_id)
        .where(ConferenceSession.conference_id == conference.id)
        .order_by(ConferenceSession.starts_at, ConferenceSession.title, SessionFeedback.updated_at)
    )
    by_session: dict[int, SessionResults] = {}
    for answer, conference_session in session.exec(statement):
        summary = by_session.setdefault(conference_session.id, SessionResults(conference_session))
        summary.count += 1
        summary.total += answer.rating
        summary.distribution[answer.rating] = summary.distribution.get(answer.rating, 0) + 1
        if answer.comment:
            summary.comments.append((answer.rating, answer.comment))
    return list(by_session.values())
