"""RSVPs: a place while there is room, then a waitlist promoted in order when places free up."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from community.email_addresses import InvalidEmail, normalise_email
from community.models import Event, EventStatus, Registration, RegistrationStatus
from community.models.types import utcnow

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class RegistrationError(ValueError):
    """An RSVP that cannot be taken; the message is shown to the person."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    member_id: int | None = None


def register(*, session: Session, event_id: int, person: Person) -> Registration:
    """A place, or a place on the waitlist when the event is full."""
    event = _locked_event(session, event_id)
    _check_open(event)
    email = _valid_email(person.email)
    name = person.name.strip()[:200]
    if not name:
        raise RegistrationError("Please give your name.")
    registration = _existing(session, event.id, email)
    if registration is not None and registration.status in ACTIVE:
        raise RegistrationError(_already_text(registration))
    has_room = _has_room(session, event)  # counted before this person's row exists
    if registration is None:
        registration = Registration(event_id=event.id, email=email, name=name)
        session.add(registration)
    registration.name, registration.member_id = name, person.member_id or registration.member_id
    registration.queued_at, registration.cancelled_at = utcnow(), None
    registration.status = (
        RegistrationStatus.REGISTERED if has_room else RegistrationStatus.WAITLISTED
    )
    session.flush()
    _give_up_an_overbooked_place(session, event, registration)
    return registration


def _give_up_an_overbooked_place(session: Session, event: Event, registration) -> None:
    """SQLite has no row locks: two RSVPs can both count a free last place. Once this row
    is written the database lock is ours, so a recount sees every earlier place."""
    if registration.status != RegistrationStatus.REGISTERED or event.capacity is None:
        return
    if places_taken(session, event.id) > event.capacity:
        registration.status = RegistrationStatus.WAITLISTED
        session.flush()


def cancel_registration(*, session: Session, registration: Registration) -> list[Registration]:
    """Frees the place; returns the people promoted from the waitlist into it."""
    event = _locked_event(session, registration.event_id)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, utcnow()
    session.flush()
    return promote_waitlisted(session=session, event=event)


def promote_waitlisted(*, session: Session, event: Event) -> list[Registration]:
    """Fill free places from the waitlist, first come first served, until the event starts."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= utcnow():
        return []
    promoted = []
    for registration in waitlist(session=session, event_id=event.id):
        if not _has_room(session, event):
            break
        registration.status, registration.promoted_at = RegistrationStatus.REGISTERED, utcnow()
        session.flush()
        promoted.append(registration)
    return promoted


def waitlist(*, session: Session, event_id: int) -> list[Registration]:
    return _with_status(session, event_id, RegistrationStatus.WAITLISTED)


def attendees(*, session: Session, event_id: int) -> list[Registration]:
    return _with_status(session, event_id, RegistrationStatus.REGISTERED)


def people_to_tell(*, session: Session, event_id: int) -> list[Registration]:
    """Everyone holding a place or waiting for one."""
    statement = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE))
        .order_by(Registration.queued_at, Registration.id)
    )
    return list(session.exec(statement))


def places_taken(session: Session, event_id: int) -> int:
    statement = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.REGISTERED
    )
    return session.exec(statement.select_from(Registration)).one()


def registration_state(event: Event, now=None) -> str | None:
    """None when RSVPs are taken now; otherwise why not, for the event page."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return "This event was cancelled."
    if event.status != EventStatus.PUBLISHED:
        return "This event is not published yet."
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = event.registration_opens_at.astimezone(ZoneInfo(event.timezone))
        return f"Registration opens on {opens:%d %b %Y at %H:%M} {opens.tzname()}."
    if now >= (event.registration_closes_at or event.starts_at):
        return "Registration has closed."
    return None


def _check_open(event: Event) -> None:
    reason = registration_state(event)
    if reason:
        raise RegistrationError(reason)


def _has_room(session: Session, event: Event) -> bool:
    return event.capacity is None or places_taken(session, event.id) < event.capacity


def _locked_event(session: Session, event_id: int) -> Event:
    """Row lock on PostgreSQL, so two last-place RSVPs cannot both take it."""
    event = session.exec(select(Event).where(Event.id == event_id).with_for_update()).first()
    if event is None:
        raise RegistrationError("There is no such event.")
    return event


def _existing(session: Session, event_id: int, email: str) -> Registration | None:
    statement = select(Registration).where(
        Registration.event_id == event_id, func.lower(Registration.email) == email
    )
    return session.exec(statement).first()


def _with_status(session: Session, event_id: int, status: str) -> list[Registration]:
    statement = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == status)
        .order_by(Registration.queued_at, Registration.id)
    )
    return list(session.exec(statement))


def _valid_email(email: str) -> str:
    try:
        return normalise_email(email)
    except InvalidEmail as error:
        raise RegistrationError(str(error)) from error


def _already_text(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return f"{registration.email} is already on the waitlist for this event."
    return f"{registration.email} is already registered for this event."
