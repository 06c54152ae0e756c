"""Organiser accounts as plain functions taking a session."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from community.email_addresses import InvalidEmail, normalise_email
from community.models import LoginAttempt, Organiser
from community.models.types import utcnow

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    lockout: timedelta


def create_organiser(*, session: Session, email: str, password: str, name: str = "") -> Organiser:
    try:
        email = normalise_email(email)
    except InvalidEmail as error:
        raise AccountError(str(error)) from error
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_organiser(session=session, email=email):
        raise AccountError(f"an organiser with the email {email} already exists")
    organiser = Organiser(email=email, name=name, password_hash=generate_password_hash(password))
    session.add(organiser)
    session.flush()
    return organiser


def find_organiser(*, session: Session, email: str) -> Organiser | None:
    statement = select(Organiser).where(Organiser.email == normalise_email(email, check=False))
    return session.exec(statement).first()


def is_locked_out(*, session: Session, email: str, remote_addr: str, policy: LoginPolicy) -> bool:
    """Too many recent failures for this email, or from this address across emails."""
    since = utcnow() - policy.lockout
    recent_failures = select(func.count()).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
    )
    by_email = session.exec(
        recent_failures.where(LoginAttempt.email == normalise_email(email, check=False))
    ).one()
    by_address = session.exec(recent_failures.where(LoginAttempt.remote_addr == remote_addr)).one()
    return by_email >= policy.max_failures or by_address >= policy.max_failures * 4


@cache
def unknown_user_hash() -> str:
    """Compared against when the email is unknown, so both cases take the same time.

    Hashed on the first login attempt rather than at import: scrypt costs ~0.1 s, and every
    command imports this module."""
    return generate_password_hash("no such organiser")


def authenticate(
    *, session: Session, email: str, password: str, remote_addr: str
) -> Organiser | None:
    """The organiser whose password matches, or None; every attempt is recorded."""
    organiser = find_organiser(session=session, email=email)
    password_hash = organiser.password_hash if organiser else unknown_user_hash()
    matches = check_password_hash(password_hash, password)
    succeeded = bool(organiser and organiser.active and matches)
    session.add(
        LoginAttempt(
            email=normalise_email(email, check=False), remote_addr=remote_addr, succeeded=succeeded
        )
    )
    if not succeeded:
        return None
    organiser.last_login_at = utcnow()
    return organiser
