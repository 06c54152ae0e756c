"""RSVPs: a place while there is room, then a waitlist promoted in order when places free up.

An RSVP from the public form proves nothing about the address typed into it, so unless the
organiser turned confirmation off it holds its place (or its waitlist spot) only for a
while: until the person opens the link emailed to them and confirms. A hold that lapses
frees the place for the waitlist, and only confirmed people move up from the waitlist.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from community.email_addresses import InvalidEmail, normalise_email
from community.models import Event, EventStatus, Registration, RegistrationStatus
from community.models.types import utcnow
from community.person_names import one_line_name

ACTIVE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


class RegistrationError(ValueError):
    """An RSVP that cannot be taken; the message is shown to the person."""


class AlreadyRegistered(RegistrationError):
    """The address holds a place or a waitlist spot already."""

    def __init__(self, registration: Registration):
        super().__init__(_already_text(registration))
        self.registration = registration


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    member_id: int | None = None


def register(
    *,
    session: Session,
    event_id: int,
    person: Person,
    confirm_within: timedelta | None = None,
) -> Registration:
    """A place, or a place on the waitlist when the event is full.

    `confirm_within` is how long the place waits for the person to confirm their address
    (the public form); None when the address is already known to be theirs (Slack).
    """
    event = _locked_event(session, event_id)
    _check_open(event)
    email = _valid_email(person.email)
    name = one_line_name(person.name)
    if not name:
        raise RegistrationError("Please give your name.")
    registration = _existing(session, event.id, email)
    if registration is not None and registration.status in ACTIVE:
        if confirm_within is None and awaits_confirmation(registration):
            _confirm(session, event, registration)
            return registration
        raise AlreadyRegistered(registration)
    has_room = _has_room(session, event)  # counted before this person's row exists
    if registration is None:
        registration = Registration(event_id=event.id, email=email, name=name)
        session.add(registration)
    registration.name, registration.member_id = name, person.member_id or registration.member_id
    registration.queued_at, registration.cancelled_at = utcnow(), None
    registration.status = (
        RegistrationStatus.REGISTERED if has_room else RegistrationStatus.WAITLISTED
    )
    _hold_or_confirm(event, registration, confirm_within)
    session.flush()
    _give_up_an_overbooked_place(session, event, registration)
    return registration


def _hold_or_confirm(event: Event, registration: Registration, confirm_within) -> None:
    now = utcnow()
    if confirm_within is None:
        registration.confirmed_at, registration.hold_expires_at = now, None
    elif event.rsvp_needs_confirmation:
        registration.confirmed_at, registration.hold_expires_at = None, now + confirm_within
    else:
        registration.confirmed_at = registration.hold_expires_at = None


def awaits_confirmation(registration: Registration) -> bool:
    return registration.status in ACTIVE and registration.hold_expires_at is not None


def confirm_registration(*, session: Session, registration: Registration) -> bool:
    """The person opened their link and confirmed: True when that changed anything.

    A hold that lapsed takes a place again if one is free, else a waitlist spot at the end.
    """
    event = _locked_event(session, registration.event_id)
    session.refresh(registration)  # as it is now that the event is ours
    if registration.status == RegistrationStatus.EXPIRED:
        _check_open(event)
        registration.queued_at = utcnow()
        registration.status = (
            RegistrationStatus.REGISTERED
            if _has_room(session, event)
            else RegistrationStatus.WAITLISTED
        )
    elif not awaits_confirmation(registration):
        return False
    _confirm(session, event, registration)
    return True


def _confirm(session: Session, event: Event, registration: Registration) -> None:
    registration.confirmed_at, registration.hold_expires_at = utcnow(), None
    session.flush()
    _give_up_an_overbooked_place(session, event, registration)
    # Places only go to confirmed people, so one may have been waiting for this person; no
    # one confirmed is ahead of them, or the place would be theirs already.
    promote_waitlisted(session=session, event=event)


def release_lapsed_holds(*, session: Session, now: datetime) -> list[Registration]:
    """Unconfirmed RSVPs past their hold give up their place or spot; returns the people
    who moved up from the waitlist into the places freed."""
    lapsed_events = select(Registration.event_id).where(_lapsed(now)).distinct()
    promoted = []
    for event_id in sorted(session.exec(lapsed_events).all()):
        event = _locked_event(session, event_id)
        lapsed = select(Registration).where(Registration.event_id == event_id, _lapsed(now))
        for registration in session.exec(lapsed.execution_options(populate_existing=True)):
            registration.status = RegistrationStatus.EXPIRED
        session.flush()
        promoted += promote_waitlisted(session=session, event=event)
    return promoted


def _lapsed(now: datetime):
    return Registration.status.in_(ACTIVE) & (Registration.hold_expires_at <= now)


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
    session.refresh(registration)
    if registration.status not in ACTIVE:
        return []
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, utcnow()
    registration.hold_expires_at = None
    session.flush()
    return promote_waitlisted(session=session, event=event)


def promote_waitlisted(*, session: Session, event: Event) -> list[Registration]:
    """Fill free places from the waitlist, first come first served, until the event starts;
    people who have not confirmed their address yet are passed over."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= utcnow():
        return []
    promoted = []
    for registration in waitlist(session=session, event_id=event.id):
        if awaits_confirmation(registration):
            continue
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


def find_registration(*, session: Session, event_id: int, email: str) -> Registration | None:
    """The registration of this address for this event, whatever its status."""
    return _existing(session, event_id, email.strip().lower())


def places_taken(session: Session, event_id: int) -> int:
    """Places held, confirmed or waiting for their confirmation."""
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
