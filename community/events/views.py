"""Public event pages, RSVPs, registration links and calendar files."""

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from community.config import settings
from community.db import get_session
from community.email_addresses import InvalidEmail, normalise_email
from community.events import calendar, check_in, notifications, registrations
from community.events.formatting import attendance_line
from community.events.forms import FORMAT_LABELS, RegistrationLinkForm, RsvpForm
from community.events.queries import attendance, event_filters, past_page, upcoming_page
from community.events.registrations import AlreadyRegistered, Person, RegistrationError
from community.events.tokens import registration_id_from
from community.forms import ConfirmForm
from community.models import Event, EventStatus, Registration, RegistrationStatus
from community.models.types import utcnow
from community.pagination import requested_page
from community.public_limits import limit_public_write, link_token, typed_email
from community.rich_text import markdown_to_html

blueprint = Blueprint("events", __name__, template_folder="templates")
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@blueprint.get("/events")
def event_list():
    session = get_session()
    chosen = {name: request.args.get(name) or None for name in ("kind", "format", "tag")}
    page = upcoming_page(session=session, number=requested_page(), **chosen)
    return render_template(
        "events/list.html",
        events=page.rows,
        page=page,
        counts=_count_lines(session, page.rows),
        filters=event_filters(session=session),
        chosen=chosen,
        format_labels=FORMAT_LABELS,
    )


@blueprint.get("/events/past")
def past_event_list():
    session = get_session()
    page = past_page(session=session, number=requested_page())
    return render_template(
        "events/past.html", events=page.rows, page=page, counts=_count_lines(session, page.rows)
    )


def _count_lines(session, events: list[Event]) -> dict[int, str]:
    """'34 going · 6 places left' for each event listed, counted in one query."""
    numbers, now = attendance(session, (event.id for event in events)), utcnow()
    return {
        event.id: attendance_line(
            event, numbers[event.id].going, numbers[event.id].waiting, now=now
        )
        for event in events
    }


@blueprint.get("/events/<int:event_id>")
def event_page(event_id: int):
    return _event_page(_public_event(event_id), RsvpForm())


def _event_page(event: Event, form: RsvpForm, status: int = 200, link_form=None):
    numbers = attendance(get_session(), [event.id])[event.id]
    cancelled = event.status == EventStatus.CANCELLED
    return render_template(
        "events/detail.html",
        event=event,
        cancelled=cancelled,
        description=markdown_to_html(event.description),
        form=form,
        link_form=link_form or RegistrationLinkForm(),
        closed_reason=registrations.registration_state(event),
        count_line=attendance_line(event, numbers.going, numbers.waiting, now=utcnow()),
        full=event.capacity is not None and numbers.going >= event.capacity,
        google_url=None if cancelled else calendar.google_calendar_url(event),
        outlook_url=None if cancelled else calendar.outlook_calendar_url(event),
    ), status


@blueprint.post("/events/<int:event_id>/rsvp")
@limit_public_write("rsvp", target=typed_email)
def rsvp(event_id: int):
    event = _public_event(event_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        return _event_page(event, form, 400)
    session = get_session()
    person = Person(name=form.name.data, email=form.email.data)
    hold = timedelta(minutes=settings().RSVP_HOLD_MINUTES)
    try:
        registration = registrations.register(
            session=session, event_id=event.id, person=person, confirm_within=hold
        )
        session.flush()  # a second registration with the same address fails here, not later
    except AlreadyRegistered as already:
        found = already.registration
        notifications.answer_form(session, event, found.email, found, known=True)
    except IntegrityError:  # the same address at the same moment: that request sent the email
        session.rollback()
    except RegistrationError as error:
        session.rollback()
        form.form_errors.append(str(error))
        return _event_page(event, form, 400)
    else:
        notifications.answer_form(session, event, registration.email, registration, known=False)
    # The same answer whoever the address belongs to: the page an unverified form lands on
    # shows neither the registration nor the join link; the email to the address does.
    return _check_your_inbox(event, person.email, asked="rsvp")


@blueprint.post("/events/<int:event_id>/registration-link")
@limit_public_write("registration-link", target=typed_email)
def email_registration_link(event_id: int):
    event = _public_event(event_id)
    form = RegistrationLinkForm()
    if not form.validate_on_submit():
        return _event_page(event, RsvpForm(formdata=None), 400, link_form=form)
    try:
        email = normalise_email(form.email.data)
    except InvalidEmail as error:
        form.email.errors.append(str(error))
        return _event_page(event, RsvpForm(formdata=None), 400, link_form=form)
    session = get_session()
    registration = registrations.find_registration(session=session, event_id=event.id, email=email)
    notifications.answer_form(session, event, email, registration, known=True)
    return _check_your_inbox(event, email, asked="link")


def _check_your_inbox(event: Event, email: str, *, asked: str):
    flash(f"An email is on its way to {normalise_email(email, check=False)}.", "info")
    return redirect(url_for(".check_your_inbox", event_id=event.id, asked=asked))


@blueprint.get("/events/<int:event_id>/check-your-inbox")
def check_your_inbox(event_id: int):
    return render_template(
        "events/check_inbox.html",
        event=_public_event(event_id),
        asked=request.args.get("asked"),
        hold_minutes=settings().RSVP_HOLD_MINUTES,
    )


@blueprint.get("/events/registration/<token>")
def manage_registration(token: str):
    registration, event = _registration(token)
    position = _waitlist_position(registration)
    cancelled = event.status == EventStatus.CANCELLED
    return render_template(
        "events/registration.html",
        registration=registration,
        event=event,
        cancelled=cancelled,
        google_url=None if cancelled else calendar.google_calendar_url(event),
        outlook_url=None if cancelled else calendar.outlook_calendar_url(event),
        position=position,
        awaiting=registrations.awaits_confirmation(registration),
        held_until=notifications.hold_deadline(event, registration),
        closed_reason=registrations.registration_state(event),
        # The QR code and check-in code its confirmation gave, shown again.
        door_pass=None if cancelled else check_in.door_pass(registration),
        confirm=ConfirmForm(),
        token=token,
    )


@blueprint.post("/events/registration/<token>/cancel")
@limit_public_write("registration-cancel", target=link_token)
def cancel_registration(token: str):
    registration, event = _registration(token)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please press the button again.", "error")
        return redirect(url_for(".manage_registration", token=token))
    session = get_session()
    promoted = registrations.cancel_registration(session=session, registration=registration)
    for person in promoted:
        notifications.tell_promoted(session, event, person)
    flash("Your registration is cancelled. Thank you for freeing the place.", "info")
    return redirect(url_for(".manage_registration", token=token))


@blueprint.post("/events/registration/<token>/confirm")
@limit_public_write("registration-confirm", target=link_token)
def confirm_registration(token: str):
    registration, event = _registration(token)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please press the button again.", "error")
        return redirect(url_for(".manage_registration", token=token))
    session = get_session()
    try:
        confirmed = registrations.confirm_registration(session=session, registration=registration)
    except RegistrationError as error:
        flash(str(error), "error")
        return redirect(url_for(".manage_registration", token=token))
    if confirmed:
        notifications.tell_registration(session, event, registration)
        flash("Thank you: your address is confirmed.", "info")
    return redirect(url_for(".manage_registration", token=token))


@blueprint.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    event = _public_event(event_id)
    return _calendar_response(calendar.event_file(event), f"{event.slug}.ics")


@blueprint.get("/events.ics")
def events_feed():
    return _calendar_response(calendar.feed_file(get_session()), "events.ics")


def _calendar_response(file: calendar.CalendarFile, filename: str) -> Response:
    """With ETag and Last-Modified: a calendar app asking again gets 304 until it changes."""
    response = Response(
        file.body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "public, max-age=900",
        },
    )
    response.set_etag(file.etag)
    response.last_modified = file.last_modified
    return response.make_conditional(request)


def _public_event(event_id: int) -> Event:
    """Published events, and cancelled ones that were published: never drafts."""
    event = get_session().get(Event, event_id)
    if event is None or event.status not in PUBLIC_STATUSES or event.published_at is None:
        abort(404)
    return event


def _registration(token: str) -> tuple[Registration, Event]:
    registration_id = registration_id_from(token)
    session = get_session()
    registration = session.get(Registration, registration_id) if registration_id else None
    if registration is None:
        abort(404)
    return registration, session.get(Event, registration.event_id)


def _waitlist_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    waiting = registrations.waitlist(session=get_session(), event_id=registration.event_id)
    return next(
        (number for number, person in enumerate(waiting, 1) if person.id == registration.id), None
    )
