"""The emails that give someone a place: text and HTML (the site's look, its CSS inlined,
since mail clients drop <style>) with the event's calendar file attached, and the door
pass: a QR code shown inline in the HTML and the check-in code in both parts."""

import css_inline
from flask import render_template
from sqlmodel import Session

from community.events import calendar, check_in
from community.events.registrations import awaits_confirmation
from community.events.tokens import manage_url
from community.links import public_event_url
from community.models import Event, EventFormat, Member, Registration, RegistrationStatus
from community.outbox import queue_email, queue_slack_message
from community.outbox.composing import InlineImage
from community.person_names import name_for_email
from integrations.slack.text import escape

QR_CONTENT_ID = "check-in-qr@community"


def tell_place(
    session: Session, event: Event, registration: Registration, *, promoted: bool = False
) -> bool:
    """'You are registered' once the place is confirmed, or 'You have a place' when it came
    from the waitlist; False when the email cannot be sent to that address."""
    if promoted:
        subject = f"You have a place: {event.title}"
        opening = "A place opened up and it is yours: you moved from the waitlist to registered."
    else:
        subject = f"You are registered: {event.title}"
        opening = "Your place is confirmed."
    attachment = calendar.event_attachment(event)
    door_pass = check_in.give_door_pass(session, registration)
    context = {
        "subject": subject,
        "opening": opening,
        "event": event,
        "name": name_for_email(registration.name),
        "join_url": _join_url(event, registration),
        "event_url": public_event_url(event),
        "manage_url": manage_url(registration.id),
        "google_url": calendar.google_calendar_url(event),
        "outlook_url": calendar.outlook_calendar_url(event),
        "attachment_name": attachment.filename,
        "door_pass": door_pass,
        "qr_src": f"cid:{QR_CONTENT_ID}",
    }
    text = render_template("events/email/place.txt", **context)
    html = css_inline.inline(render_template("events/email/place.html", **context))
    queued = queue_email(
        session,
        to=registration.email,
        subject=subject,
        text=text,
        html=html,
        attachments=[attachment],
        inline=[_qr_image(door_pass)] if door_pass else None,
    )
    _tell_in_slack(session, registration, subject, text)
    return queued


def _qr_image(door_pass: check_in.DoorPass) -> InlineImage:
    return InlineImage(QR_CONTENT_ID, "check-in.png", "image/png", door_pass.png())


def _join_url(event: Event, registration: Registration) -> str | None:
    """Only for people holding a confirmed place at an event that is online in part."""
    has_place = registration.status == RegistrationStatus.REGISTERED
    if event.format == EventFormat.IN_PERSON or not has_place or awaits_confirmation(registration):
        return None
    return event.join_url


def _tell_in_slack(session: Session, registration: Registration, subject: str, text: str) -> None:
    member = session.get(Member, registration.member_id) if registration.member_id else None
    if member is not None:
        queue_slack_message(
            session, channel=member.slack_id, text=f"*{escape(subject)}*\n{escape(text)}"
        )
