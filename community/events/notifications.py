"""Telling people about their registration and about changes, by email and Slack DM.

The messages are queued in the outbox inside the change's own transaction, so one never
announces something that was rolled back, and a mail or Slack outage only delays them.
"""

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from community.events import calendar, registration_emails, tokens
from community.events.formatting import event_when, event_where
from community.events.registrations import awaits_confirmation
from community.events.services import AttendeeChange
from community.links import public_event_url, public_url
from community.models import Event, EventFormat, Member, Registration, RegistrationStatus
from community.models.types import utcnow
from community.outbox import queue_email, queue_slack_message
from community.person_names import name_for_email
from community.rate_limits import may_email
from integrations.mail.messages import Attachment
from integrations.slack.text import escape


def manage_url(registration: Registration) -> str:
    return tokens.manage_url(registration.id)


def calendar_url(event: Event) -> str:
    return public_url(f"/events/{event.id}.ics")


def answer_form(
    session: Session, event: Event, email: str, registration: Registration | None, *, known: bool
) -> None:
    """The one email a public form (RSVP, "email me my link") sends to the address typed in:
    the registration's news when `known` is False, else the link to the one it already has,
    and nothing when the address has none (its request still counts towards the cap)."""
    # A stranger's form causes it: capped per address, so nobody can fill an inbox with it.
    if not may_email(session, to=email, purpose=f"registration:{event.id}"):
        return
    if registration is None:
        return
    if known and not awaits_confirmation(registration):
        _tell_manage_link(session, event, registration)
    else:
        tell_registration(session, event, registration)


def tell_registration(session: Session, event: Event, registration: Registration) -> None:
    """A new registration, or one just confirmed: a place or a waitlist spot, or a request
    to confirm the address while one is held."""
    if awaits_confirmation(registration):
        _ask_to_confirm(session, event, registration)
        return
    if registration.status == RegistrationStatus.REGISTERED:
        registration_emails.tell_place(session, event, registration)
        return
    subject = f"You are on the waitlist: {event.title}"
    opening = (
        "The event is full, so you are on the waitlist. If a place frees up it is "
        "yours automatically, and we will tell you."
    )
    _tell(session, registration, subject, _details(event, registration, opening))


def _ask_to_confirm(session: Session, event: Event, registration: Registration) -> None:
    if registration.status == RegistrationStatus.REGISTERED:
        what, held = "place", "A place is held for you"
    else:
        what, held = "waitlist spot", "The event is full: a waitlist spot is held for you"
    opening = (
        f"Someone, hopefully you, registered this address for {event.title}. {held} until "
        f"{hold_deadline(event, registration)}. To keep it, open this link and press the "
        f"button there:\n\n{manage_url(registration)}\n\n"
        "If it was not you, ignore this email: the hold ends on its own."
    )
    subject = f"Please confirm your {what}: {event.title}"
    _tell(session, registration, subject, _details(event, registration, opening))


def _tell_manage_link(session: Session, event: Event, registration: Registration) -> None:
    status = {
        RegistrationStatus.REGISTERED: "You are registered for it.",
        RegistrationStatus.WAITLISTED: "You are on its waitlist.",
        RegistrationStatus.EXPIRED: "The place held for you was released: the address was "
        "not confirmed in time. Your link can still take a place if one is free.",
    }.get(registration.status, "Your registration was cancelled.")
    opening = (
        "Someone, hopefully you, asked on the event page for this address's registration, "
        f"so here is its link again. {status}"
    )
    _tell(
        session,
        registration,
        f"Your registration: {event.title}",
        _details(event, registration, opening),
    )


def hold_deadline(event: Event, registration: Registration) -> str | None:
    """'18:42 CET on Tue 1 Dec', in the event's own zone, for a place held for confirmation."""
    if registration.hold_expires_at is None:
        return None
    moment = registration.hold_expires_at.astimezone(ZoneInfo(event.timezone))
    return f"{moment:%H:%M} {moment.tzname()} on {moment:%a} {moment.day} {moment:%b}"


def tell_promoted(session: Session, event: Event, registration: Registration) -> None:
    registration_emails.tell_place(session, event, registration, promoted=True)


def tell_reminder(session: Session, event: Event, registration: Registration, lead: str) -> bool:
    """True when the email was queued (the Slack DM is a courtesy on top)."""
    soon = "in an hour" if lead == "1h" else _day_and_time(event, utcnow())
    opening = f"A reminder: {event.title} starts {soon}."
    subject = f"Starting {soon}: {event.title}"
    return _tell(session, registration, subject, _details(event, registration, opening))


def _day_and_time(event: Event, now: datetime) -> str:
    """'today at 18:00 CEST' or 'tomorrow at 09:30 CET', by the calendar of the event's
    zone: an evening event 20 hours away is today's when the reminder goes at midnight."""
    zone = ZoneInfo(event.timezone)
    starts, today = event.starts_at.astimezone(zone), now.astimezone(zone).date()
    day = "today" if starts.date() == today else "tomorrow"  # the reminder is < 24 h ahead
    return f"{day} at {starts:%H:%M} {starts.tzname()}"


def tell_changed(
    session: Session,
    event: Event,
    registration: Registration,
    changes: Sequence[AttendeeChange] = (),
    reason: str | None = None,
) -> None:
    subject, text = changed_message(event, registration, changes, reason)
    _tell(session, registration, subject, text, _calendar_update(event, registration))


def changed_message(
    event: Event,
    registration: Registration,
    changes: Sequence[AttendeeChange] = (),
    reason: str | None = None,
) -> tuple[str, str]:
    """The email about a change: what moved, old → new, then the details as they are now."""
    lines = [_change_line(change, registration) for change in changes]
    if lines:
        opening = "The organisers changed this event:\n\n" + "\n".join(lines)
    else:
        opening = "The organisers changed this event. Here are the details as they are now."
    if reason:
        opening += f"\n\nWhy: {reason}"
    return f"Changed: {event.title}", _details(event, registration, opening)


def _change_line(change: AttendeeChange, registration: Registration) -> str:
    if change.private and not _may_join(registration):
        return f"{change.label}: changed; it is sent to people who hold a place"
    return f"{change.label}: {change.old} → {change.new}"


def tell_cancelled(session: Session, event: Event, registration: Registration) -> None:
    subject, text = cancelled_message(event, registration, event.cancellation_reason)
    _tell(session, registration, subject, text, _calendar_update(event, registration))


def cancelled_message(
    event: Event, registration: Registration, reason: str | None
) -> tuple[str, str]:
    lines = [
        f"Hello {name_for_email(registration.name)},",
        "",
        f"{event.title} ({event_when(event)}) has been cancelled by the organisers.",
    ]
    if reason:
        lines += ["", f"Why: {reason}"]
    lines += ["", f"Sorry for the change of plans. Other events: {public_url('/events')}"]
    return f"Cancelled: {event.title}", "\n".join(lines) + "\n"


def _calendar_update(event: Event, registration: Registration) -> list[Attachment]:
    """People holding a place got the event's calendar file with their confirmation. The
    same UID with a higher SEQUENCE moves or cancels the entry their calendar made of it."""
    return [calendar.event_attachment(event)] if _may_join(registration) else []


def _may_join(registration: Registration) -> bool:
    """Join links go only to people holding a confirmed place."""
    return registration.status == RegistrationStatus.REGISTERED and not awaits_confirmation(
        registration
    )


def _details(event: Event, registration: Registration, opening: str) -> str:
    lines = [
        f"Hello {name_for_email(registration.name)},",
        "",
        opening,
        "",
        event.title,
        f"When: {event_when(event)}",
        f"Where: {event_where(event)}",
    ]
    if event.join_url and event.format != EventFormat.IN_PERSON and _may_join(registration):
        lines.append(f"Join online: {event.join_url}")
    lines += [
        f"Event page: {public_event_url(event)}",
        f"Add to your calendar: {calendar_url(event)}",
    ]
    if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
        lines += [
            "",
            f"Can't make it? Cancel here so someone else can come: {manage_url(registration)}",
        ]
    elif registration.status == RegistrationStatus.EXPIRED:
        lines += ["", f"Your registration: {manage_url(registration)}"]
    return "\n".join(lines) + "\n"


def _tell(
    session: Session,
    registration: Registration,
    subject: str,
    text: str,
    attachments: list[Attachment] | None = None,
) -> bool:
    queued = queue_email(
        session, to=registration.email, subject=subject, text=text, attachments=attachments
    )
    member = session.get(Member, registration.member_id) if registration.member_id else None
    if member is not None:
        queue_slack_message(
            session, channel=member.slack_id, text=f"*{escape(subject)}*\n{escape(text)}"
        )
    return queued
