"""Organiser accounts as plain functions taking a session."""

from functools import cache

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from community.accounts.login_throttle import (
    CountedAttempt,
    clear_failures,
    forget_account,
    record_success,
)
from community.email_addresses import InvalidEmail, normalise_email
from community.models import Organiser
from community.models.types import utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


def create_organiser(*, session: Session, email: str, password: str, name: str = "") -> Organiser:
    try:
        email = normalise_email(email)
    except InvalidEmail as error:
        raise AccountError(str(error)) from error
    _refuse_short(password)
    if find_organiser(session=session, email=email):
        raise AccountError(f"an organiser with the email {email} already exists")
    organiser = Organiser(email=email, name=name, password_hash=generate_password_hash(password))
    session.add(organiser)
    session.flush()
    return organiser


def find_organiser(*, session: Session, email: str) -> Organiser | None:
    statement = select(Organiser).where(Organiser.email == normalise_email(email, check=False))
    return session.exec(statement).first()


def list_organisers(*, session: Session) -> list[Organiser]:
    return list(session.exec(select(Organiser).order_by(Organiser.email)))


@cache
def unknown_user_hash() -> str:
    """Compared against when the email is unknown, so both cases take the same time.

    Hashed on the first login attempt rather than at import: scrypt costs ~0.1 s, and every
    command imports this module."""
    return generate_password_hash("no such organiser")


def authenticate(*, session: Session, attempt: CountedAttempt, password: str) -> Organiser | None:
    """The organiser whose password matches the counted attempt, or None."""
    organiser = find_organiser(session=session, email=attempt.email)
    password_hash = organiser.password_hash if organiser else unknown_user_hash()
    matches = check_password_hash(password_hash, password)
    if not (organiser and organiser.active and matches):
        return None
    record_success(session=session, attempt=attempt)
    organiser.last_login_at = utcnow()
    return organiser


def end_all_sessions(organiser: Organiser) -> None:
    """Every session opened before now stops working at its next request."""
    organiser.session_version += 1


def change_password(*, organiser: Organiser, password: str) -> None:
    _refuse_short(password)
    organiser.password_hash = generate_password_hash(password)
    end_all_sessions(organiser)


def reset_password(*, session: Session, email: str, password: str) -> Organiser:
    """A new password from the command line; ends the organiser's sessions and login waits."""
    organiser = _existing(session, email)
    change_password(organiser=organiser, password=password)
    clear_failures(session=session, email=organiser.email)
    return organiser


def remove_organiser(*, session: Session, email: str) -> Organiser:
    """Deletes the account, which ends its sessions; the login attempts stay for the audit
    until they are pruned, and what the organiser did keeps their email as text."""
    organiser = _existing(session, email)
    session.delete(organiser)
    forget_account(session=session, email=organiser.email)
    session.flush()
    return organiser


def _existing(session: Session, email: str) -> Organiser:
    organiser = find_organiser(session=session, email=email)
    if organiser is None:
        raise AccountError(f"no organiser has the email {email.strip()}")
    return organiser


def _refuse_short(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
