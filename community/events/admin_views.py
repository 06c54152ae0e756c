"""Organiser pages: create, edit, publish, cancel and duplicate events; see who is coming."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.config import settings
from community.db import get_session
from community.events import announcements, notifications, registrations, services
from community.events.forms import EventForm, NewEventForm
from community.events.services import EventError
from community.forms import ConfirmForm
from community.models import Event, EventStatus
from community.pagination import paginate, requested_page

blueprint = Blueprint(
    "event_admin", __name__, url_prefix="/admin/events", template_folder="templates"
)
organisers_only(blueprint)
ADMIN_PAGE_SIZE = 100


@blueprint.get("/")
def event_list():
    newest_first = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    page = paginate(get_session(), newest_first, number=requested_page(), size=ADMIN_PAGE_SIZE)
    return render_template(
        "events/admin_list.html", events=page.rows, page=page, confirm=ConfirmForm()
    )


@blueprint.route("/new", methods=["GET", "POST"])
def new_event():
    form = NewEventForm()
    if not form.is_submitted():
        form.timezone.data = form.timezone.data or _community_timezone()
    if not form.validate_on_submit():
        return _form_page(form, None, 400 if form.is_submitted() else 200)
    session = get_session()
    try:
        events = _create(session, form)
    except EventError as error:
        form.form_errors.append(str(error))
        return _form_page(form, None, 400)
    flash(_created_message(events), "info")
    return redirect(url_for(".event_detail", event_id=events[0].id))


def _create(session, form: NewEventForm) -> list[Event]:
    data = form.to_input(EventStatus.DRAFT)
    if form.repeat.data in ("weekly", "monthly"):
        count = form.repeat_count.data or 1
        return services.create_series(
            session=session, data=data, repeat=form.repeat.data, count=count
        )
    return [services.create_event(session=session, data=data)]


def _created_message(events: list[Event]) -> str:
    if len(events) > 1:
        return f"Created {len(events)} draft events in a series. Publish each when ready."
    return "Created the event as a draft. Publish it when it is ready."


@blueprint.get("/<int:event_id>")
def event_detail(event_id: int):
    event = _event(event_id)
    session = get_session()
    return render_template(
        "events/admin_detail.html",
        event=event,
        attendees=registrations.attendees(session=session, event_id=event.id),
        waitlist=registrations.waitlist(session=session, event_id=event.id),
        confirm=ConfirmForm(),
    )


@blueprint.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = _event(event_id)
    form = EventForm()
    if not form.is_submitted():
        form.fill_from(event)
    if not form.validate_on_submit():
        return _form_page(form, event, 400 if form.is_submitted() else 200)
    session = get_session()
    try:
        changed = services.update_event(
            session=session, event=event, data=form.to_input(event.status)
        )
        promoted = registrations.promote_waitlisted(session=session, event=event)
    except EventError as error:
        form.form_errors.append(str(error))
        return _form_page(form, event, 400)
    _tell_after_edit(session, event, changed, promoted)
    return redirect(url_for(".event_detail", event_id=event.id))


def _tell_after_edit(session, event: Event, changed: list[str], promoted) -> None:
    for registration in promoted:
        notifications.tell_promoted(session, event, registration)
    told = (
        announcements.tell_about_change(session, event)
        if changed and event.status == EventStatus.PUBLISHED
        else 0
    )
    note = f" {told} registered people were told about the change." if told else ""
    flash(f"Saved.{note}", "info")


@blueprint.post("/<int:event_id>/<any(publish, cancel, duplicate):action>")
def change_event(event_id: int, action: str):
    event = _event(event_id)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for(".event_detail", event_id=event.id))
    session = get_session()
    try:
        target = _apply(session, event, action)
    except EventError as error:
        flash(str(error), "error")
        return redirect(url_for(".event_detail", event_id=event.id))
    return redirect(url_for(".event_detail", event_id=target.id))


def _apply(session, event: Event, action: str) -> Event:
    if action == "publish":
        services.publish_event(session=session, event=event)
        announcements.announce_published(session, event)
        flash("Published: the event is on the public pages and in the calendar feed.", "info")
        return event
    if action == "cancel":
        if services.cancel_event(session=session, event=event):
            told = announcements.tell_about_cancellation(session, event)
            flash(f"Cancelled. {told} registered people were told.", "info")
        return event
    copy = services.duplicate_event(session=session, event=event)
    flash("Duplicated as a draft one week later. Check the date before publishing.", "info")
    return copy


@blueprint.get("/<int:event_id>/attendees.csv")
def attendees_csv(event_id: int):
    event = _event(event_id)
    people = registrations.people_to_tell(session=get_session(), event_id=event.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email", "status", "registered_at", "promoted_at"])
    for person in people:
        writer.writerow(
            [
                _cell(person.name),
                _cell(person.email),
                person.status,
                person.queued_at.isoformat(),
                person.promoted_at.isoformat() if person.promoted_at else "",
            ]
        )
    filename = f"{event.slug}-attendees.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a name must stay a name."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _event(event_id: int) -> Event:
    event = get_session().get(Event, event_id)
    if event is None:
        abort(404)
    return event


def _form_page(form, event, status: int):
    return render_template("events/admin_form.html", form=form, event=event), status


def _community_timezone() -> str:
    return settings().COMMUNITY_TIMEZONE
