"""Letting people in at the door: each registration's short code and signed QR token, the
check-in itself (once per person), and how many came.

The QR code holds the door page's address with the token in it, so a helper's phone
camera opens the check-in page even without the page's own scanner; the code printed
under it is for typing when no camera can read it.
"""

import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import segno
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlmodel import Session, func, select

from community.config import settings
from community.links import public_url
from community.models import Event, EventStatus, Registration, RegistrationStatus
from community.models.types import utcnow

SALT = "event-check-in"
# Crockford's base32: no I, L, O or U, so nothing reads as another character.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Typed codes are read as Crockford reads them: I and L as 1, O as 0.
_READ_AS = str.maketrans("ILO", "110")
_SEPARATORS = re.compile(r"[\s\-_.]+")
# The door page, served by the conferences area; the QR code opens it on a helper's phone.
DOOR_PATH = "/check-in/events/{event_id}"


class CheckInRefused(ValueError):
    """A code or token that lets nobody in; the message says why, for the helper."""


@dataclass(frozen=True)
class CheckIn:
    """Who was let in; `already` when they had been before, and nothing changed."""

    registration: Registration
    already: bool
    message: str
    timezone: str  # the event's, for showing times as the clock at the door reads


@dataclass(frozen=True)
class DoorPass:
    """What a registered person shows at the door."""

    code: str  # as printed: "K7QM-3XPA"
    url: str  # what the QR code holds

    def svg(self) -> str:
        return segno.make(self.url, error="m").svg_inline(scale=4, title="Check-in QR code")

    def png(self) -> bytes:
        buffer = io.BytesIO()
        segno.make(self.url, error="m").save(buffer, kind="png", scale=6, border=4)
        return buffer.getvalue()


@dataclass(frozen=True)
class AttendanceSummary:
    registered: int  # people holding a place
    checked_in: int
    no_shows: int | None  # registered and never checked in, once the event has ended


def give_door_pass(session: Session, registration: Registration) -> DoorPass | None:
    """The code and QR of a confirmed place, for its confirmation; None without a place."""
    if registration.status != RegistrationStatus.REGISTERED or registration.hold_expires_at:
        return None
    check_in_code(session, registration)
    return door_pass(registration)


def door_pass(registration: Registration) -> DoorPass | None:
    """The pass given with the confirmation, for showing again; writes nothing."""
    if registration.status != RegistrationStatus.REGISTERED or registration.hold_expires_at:
        return None
    if registration.check_in_code is None:
        return None
    return DoorPass(printed_code(registration.check_in_code), check_in_url(registration))


def check_in_code(session: Session, registration: Registration) -> str:
    """The registration's code, given the first time it is needed and the same ever after."""
    if registration.check_in_code is None:
        registration.check_in_code = _unused_code(session)
        session.flush()
    return registration.check_in_code


def _unused_code(session: Session) -> str:
    while True:  # 32**8 codes: a second try is already rare
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = select(Registration.id).where(Registration.check_in_code == code)
        if session.exec(taken).first() is None:
            return code


def printed_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def check_in_token(registration: Registration) -> str:
    return _serializer().dumps([registration.id, registration.event_id])


def check_in_url(registration: Registration) -> str:
    path = DOOR_PATH.format(event_id=registration.event_id)
    return public_url(f"{path}?token={check_in_token(registration)}")


def door_url(event: Event) -> str:
    return public_url(DOOR_PATH.format(event_id=event.id))


def find_registration(session: Session, event: Event, token_or_code: str) -> Registration:
    """Whose code or token it is, if it lets them into `event`; changes nothing."""
    registration = _registration_of(session, token_or_code)
    if registration.event_id != event.id:
        other = session.get(Event, registration.event_id)
        raise CheckInRefused(
            f"{registration.name} is registered for “{other.title}”, not for this event."
        )
    _check_has_place(event, registration)
    return registration


def check_in(session: Session, event: Event, token_or_code: str, by: str) -> CheckIn:
    """Marks the person as let in, once: a second time says when and by whom it was."""
    registration = find_registration(session, event, token_or_code)
    now = utcnow()
    # One UPDATE, so two helpers scanning the same code at once let the person in once.
    session.flush()
    marked = session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by=by)
    )
    session.refresh(registration)
    if marked.rowcount == 0:
        when = _clock(registration.checked_in_at, event)
        message = (
            f"{registration.name} is already checked in at {when} by {registration.checked_in_by}."
        )
        return CheckIn(registration, True, message, event.timezone)
    return CheckIn(registration, False, f"{registration.name} is checked in.", event.timezone)


def attendance_summary(session: Session, event: Event, now: datetime | None = None):
    """Places held, people let in, and (after the end) who held a place and never came."""
    counts = select(func.count(), func.count(Registration.checked_in_at)).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED
    )
    registered, checked_in = session.exec(counts).one()
    ended = (now or utcnow()) >= event.ends_at
    return AttendanceSummary(registered, checked_in, registered - checked_in if ended else None)


def checked_in_time(registration: Registration, event: Event) -> str | None:
    """'09:12' in the event's own zone, for the organiser's list."""
    if registration.checked_in_at is None:
        return None
    return _clock(registration.checked_in_at, event)


def _registration_of(session: Session, token_or_code: str) -> Registration:
    value = token_or_code.strip()
    if not value:
        raise CheckInRefused("Type the code under the person's QR code, or scan the QR code.")
    token = _token_in(value)
    if token is not None:
        return _by_token(session, token)
    code = _SEPARATORS.sub("", value).upper().translate(_READ_AS)
    registration = session.exec(
        select(Registration).where(Registration.check_in_code == code)
    ).first()
    if registration is None:
        raise CheckInRefused(
            f"No registration has the code {value[:20]}: check each character and try again."
        )
    return registration


def _token_in(value: str) -> str | None:
    """The token of a scanned door address, or a token on its own; None for a typed code."""
    if "token=" in value:
        tokens = parse_qs(urlsplit(value).query).get("token")
        return tokens[0] if tokens else ""
    return value if "." in value and len(value) > CODE_LENGTH + 2 else None


def _by_token(session: Session, token: str) -> Registration:
    try:
        registration_id, event_id = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        raise CheckInRefused(
            "This QR code was not issued here (its signature does not match): "
            "ask for the code printed under it."
        ) from None
    registration = session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        raise CheckInRefused("This QR code's registration no longer exists.")
    return registration


def _check_has_place(event: Event, registration: Registration) -> None:
    if event.status == EventStatus.CANCELLED:
        raise CheckInRefused("This event was cancelled: nobody can check in.")
    reason = {
        RegistrationStatus.CANCELLED: "cancelled their place",
        RegistrationStatus.EXPIRED: "never confirmed their address, so their place was released",
        RegistrationStatus.WAITLISTED: "is on the waitlist and has no place",
    }.get(registration.status)
    if reason:
        raise CheckInRefused(f"{registration.name} {reason}: not checked in.")


def _clock(moment: datetime, event: Event) -> str:
    return f"{moment.astimezone(ZoneInfo(event.timezone)):%H:%M}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings().SECRET_KEY, salt=SALT)
