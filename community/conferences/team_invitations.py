"""Reviewers and door helpers organisers name: their accounts, invitation emails and the
signed link that sets their password."""

import secrets
from dataclasses import dataclass

import css_inline
from flask import render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session, select

from community.accounts.services import (
    AccountError,
    change_password,
    create_organiser,
    find_organiser,
)
from community.config import settings
from community.email_addresses import InvalidEmail, normalise_email
from community.links import public_url
from community.models import Conference, ConferenceTeamMember, Event, Organiser, TeamRole
from community.models.types import utcnow
from community.outbox import queue_email
from community.person_names import name_for_email

SALT = "conference-team-invitation"
INVITATION_DAYS = 7
TEAM_ROLE = "team"
ROLE_NAMES = {TeamRole.REVIEWER: "reviewer", TeamRole.HELPER: "door helper"}
# Where each role does its work; those pages belong to the review and check-in parts.
ROLE_PATHS = {
    TeamRole.REVIEWER: "/review/{acronym}",
    TeamRole.HELPER: "/check-in/conferences/{acronym}",
}


class TeamError(ValueError):
    """An invitation or removal refused; the message says why."""


class InvitationInvalid(ValueError):
    """A set-password link that is forged, used already, or too old."""


@dataclass(frozen=True)
class Invitation:
    member: ConferenceTeamMember
    account: Organiser
    new_account: bool


def invite(
    session: Session,
    conference: Conference,
    *,
    name: str,
    email: str,
    role: str,
    invited_by: str | None,
) -> Invitation:
    """Names the person for the role at this conference, with an account of their own if
    they have none, and emails them; a full organiser gets the role and a note only."""
    if role not in ROLE_NAMES:
        raise TeamError(f"“{role}” is not a team role; pick reviewer or door helper.")
    try:
        email = normalise_email(email)
    except InvalidEmail as error:
        raise TeamError(str(error)) from error
    account = find_organiser(session=session, email=email)
    new_account = account is None
    if new_account:
        account = _new_team_account(session, name=name, email=email)
    elif not account.name:
        account.name = name
    if _membership(session, conference, account, role) is not None:
        raise TeamError(f"{email} is already a {ROLE_NAMES[role]} at {conference.acronym}.")
    member = ConferenceTeamMember(
        conference_id=conference.id, organiser_id=account.id, role=role, invited_by=invited_by
    )
    session.add(member)
    session.flush()
    _email_invitation(session, conference, account, role, name)
    return Invitation(member=member, account=account, new_account=new_account)


def _new_team_account(session: Session, *, name: str, email: str) -> Organiser:
    """An account whose password nobody knows until its owner sets one through the link."""
    try:
        account = create_organiser(
            session=session, email=email, password=secrets.token_urlsafe(32), name=name
        )
    except AccountError as error:
        raise TeamError(str(error)) from error
    account.role = TEAM_ROLE
    session.flush()
    return account


def _membership(
    session: Session, conference: Conference, account: Organiser, role: str
) -> ConferenceTeamMember | None:
    statement = select(ConferenceTeamMember).where(
        ConferenceTeamMember.conference_id == conference.id,
        ConferenceTeamMember.organiser_id == account.id,
        ConferenceTeamMember.role == role,
    )
    return session.exec(statement).first()


def remove_member(session: Session, conference: Conference, member_id: int) -> Organiser:
    """Takes the role away; the account and what it did (its reviews) stay."""
    member = session.get(ConferenceTeamMember, member_id)
    if member is None or member.conference_id != conference.id:
        raise TeamError("That person is not on this conference's team (any more).")
    account = session.get(Organiser, member.organiser_id)
    session.delete(member)
    session.flush()
    return account


def team_of(
    session: Session, conference: Conference
) -> list[tuple[ConferenceTeamMember, Organiser]]:
    statement = (
        select(ConferenceTeamMember, Organiser)
        .join(Organiser, Organiser.id == ConferenceTeamMember.organiser_id)
        .where(ConferenceTeamMember.conference_id == conference.id)
        .order_by(ConferenceTeamMember.role, Organiser.email)
    )
    return list(session.exec(statement))


def role_path(role: str, acronym: str) -> str:
    return ROLE_PATHS[role].format(acronym=acronym)


def invitation_token(account: Organiser) -> str:
    """Signed with the account's session version, which setting the password raises: the
    link works once."""
    return _serializer().dumps([account.id, account.session_version])


def welcome_url(account: Organiser) -> str:
    return public_url(f"/team/welcome/{invitation_token(account)}")


def account_of_invitation(session: Session, token: str) -> Organiser:
    """The team account whose link this is, or InvitationInvalid saying what is wrong."""
    try:
        account_id, version = _serializer().loads(token, max_age=INVITATION_DAYS * 24 * 3600)
    except SignatureExpired as error:
        raise InvitationInvalid(
            f"This link is more than {INVITATION_DAYS} days old. Ask the organiser who "
            "invited you to invite you again."
        ) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise InvitationInvalid(
            "This link is not a valid invitation; check it is complete."
        ) from error
    account = session.get(Organiser, account_id) if isinstance(account_id, int) else None
    if account is None or not account.active or account.session_version != version:
        raise InvitationInvalid(
            "This link was used already or the account is gone. Log in with your password, "
            "or ask the organiser who invited you for a new invitation."
        )
    return account


def accept_invitation(account: Organiser, password: str) -> None:
    """Sets the password (the account's usual rules), which ends the link and old sessions."""
    try:
        change_password(organiser=account, password=password)
    except AccountError as error:
        raise TeamError(f"The password is refused: {error}.") from error
    account.last_login_at = utcnow()


def _email_invitation(
    session: Session, conference: Conference, account: Organiser, role: str, name: str
) -> None:
    """A link that sets the password to an account never used; a note to log in otherwise."""
    event = session.get(Event, conference.event_id)
    needs_password = not account.is_organiser and account.last_login_at is None
    subject = f"You are a {ROLE_NAMES[role]} at {event.title}"
    context = {
        "subject": subject,
        "name": name_for_email(account.name or name),
        "event": event,
        "role_name": ROLE_NAMES[role],
        "role": role,
        "work_url": public_url(role_path(role, conference.acronym)),
        "welcome_url": welcome_url(account) if needs_password else None,
        "login_url": public_url("/login"),
        "days": INVITATION_DAYS,
    }
    text = render_template("conferences/email/team_invitation.txt", **context)
    html = css_inline.inline(render_template("conferences/email/team_invitation.html", **context))
    queue_email(session, to=account.email, subject=subject, text=text, html=html)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().SECRET_KEY, salt=SALT)
