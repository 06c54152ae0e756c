"""Organiser pages: create, edit, publish, cancel and duplicate events; see who is coming."""

import csv
import io
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import case
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.config import settings
from community.db import get_session
from community.events import announcements, check_in, notifications, registrations, services
from community.events.forms import (
    CancelEventForm,
    ChangeNoticeForm,
    EventForm,
    NewEventForm,
    reach_changed,
)
from community.events.queries import attendance
from community.events.services import EventError
from community.extensions import csrf
from community.forms import ConfirmForm
from community.models import Event, EventStatus, Registration, RegistrationStatus, Source
from community.models.types import utcnow
from community.pagination import paginate, requested_page
from community.plurals import counted

blueprint = Blueprint(
    "event_admin", __name__, url_prefix="/admin/events", template_folder="templates"
)
organisers_only(blueprint)
ADMIN_PAGE_SIZE = 100
LIST_FILTERS = {
    "all": "All",
    "upcoming": "Upcoming",
    "past": "Past",
    "drafts": "Drafts",
    "imported": "Imported",
}


@blueprint.get("/")
def event_list():
    shown = request.args.get("show", "all")
    if shown not in LIST_FILTERS:
        shown = "all"
    session = get_session()
    page = paginate(session, _listed(shown), number=requested_page(), size=ADMIN_PAGE_SIZE)
    counts = attendance(session, (event.id for event, _ in page.rows))
    return render_template(
        "events/admin_list.html",
        rows=[(event, counts[event.id], source_label(source)) for event, source in page.rows],
        page=page,
        shown=shown,
        filters=LIST_FILTERS,
        now=utcnow(),
    )


def source_label(source: Source | None) -> str:
    """'manual', or the calendar it was imported from: 'meetups.example.org/calendar.ics'."""
    if source is None:
        return "manual"
    parts = urlsplit(source.url or "")
    if parts.scheme in ("http", "https"):
        return f"imported from {parts.netloc}{parts.path}"[:120]
    return f"imported from the file {source.name}"


def _listed(shown: str):
    """Upcoming events soonest first, then past ones most recent first; sources joined in."""
    now = utcnow()
    upcoming = Event.ends_at >= now
    statement = (
        select(Event, Source)
        .outerjoin(Source, Source.id == Event.source_id)
        .order_by(
            case((upcoming, 0), else_=1),
            case((upcoming, Event.starts_at)).asc(),
            Event.starts_at.desc(),
            Event.id.desc(),
        )
    )
    condition = {
        "upcoming": upcoming,
        "past": Event.ends_at < now,
        "drafts": Event.status == EventStatus.DRAFT,
        "imported": Event.source_id.is_not(None),
    }.get(shown)
    return statement if condition is None else statement.where(condition)


@blueprint.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token: see _explain_expired
def new_event():
    form = NewEventForm()
    if not form.is_submitted():
        form.timezone.data = form.timezone.data or _community_timezone()
    if not form.validate_on_submit():
        _explain_expired(form)
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
    if form.repeats:
        return services.create_series(
            session=session, data=data, repeat=form.repeat.data, count=form.repeat_count.data
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
        original=session.get(Event, event.copied_from_id) if event.copied_from_id else None,
        source=source_label(session.get(Source, event.source_id) if event.source_id else None),
        confirm=ConfirmForm(),
        attendance=check_in.attendance_summary(session, event),
        checked_in_time=check_in.checked_in_time,
        door_url=check_in.door_url(event),
    )


@blueprint.route("/<int:event_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token: see _explain_expired
def edit_event(event_id: int):
    event = _event(event_id)
    form = EventForm()
    if not form.is_submitted():
        form.fill_from(event)
    if not form.validate_on_submit():
        _explain_expired(form)
        return _form_page(form, event, 400 if form.is_submitted() else 200)
    data = form.to_input(event.status)
    try:
        services.validate_event(data)
    except EventError as error:
        form.form_errors.append(str(error))
        return _form_page(form, event, 400)
    if "back" in request.form:
        return _form_page(form, event, 200)  # from the confirmation, to change more
    session = get_session()
    changes = (
        services.attendee_changes(event, data) if event.status == EventStatus.PUBLISHED else []
    )
    people = registrations.people_to_tell(session=session, event_id=event.id) if changes else []
    notice = ChangeNoticeForm()
    confirmed = notice.confirmed.data == "yes" and "preview" not in request.form
    if people and not (confirmed and notice.validate() and not reach_changed(notice, people)):
        return _change_confirmation(form, notice, event, data, changes, people)
    return _save_edit(session, form, event, data, changes, notice.change_reason.data)


def _save_edit(session, form, event: Event, data, changes, reason: str | None):
    try:
        services.update_event(session=session, event=event, data=data)
        promoted = registrations.promote_waitlisted(session=session, event=event)
    except EventError as error:
        form.form_errors.append(str(error))
        return _form_page(form, event, 400)
    for registration in promoted:
        notifications.tell_promoted(session, event, registration)
    told = announcements.tell_about_change(session, event, changes, reason) if changes else 0
    note = f" {_told(told)} about the change." if told else ""
    flash(f"Saved.{note}", "info")
    return redirect(url_for(".event_detail", event_id=event.id))


def _change_confirmation(form, notice, event: Event, data, changes, people):
    preview = _preview_event(event, data)
    sample = _sample(people)
    subject, text = _previewed(
        notifications.changed_message(preview, sample, changes, notice.change_reason.data or None),
        sample,
    )
    status = 400 if notice.change_reason.errors else 200
    page = render_template(
        "events/admin_change.html",
        form=form,
        notice=notice,
        event=event,
        changes=changes,
        reach=_reach(people),
        total=len(people),
        subject=subject,
        preview=text,
    )
    return page, status


def _preview_event(event: Event, data) -> Event:
    """The event as it would be after the edit, never added to the session."""
    preview = Event(**event.model_dump())
    for name in ("title", "starts_at", "ends_at", "timezone", "format", "venue", "address"):
        setattr(preview, name, getattr(data, name))
    preview.join_url = data.join_url
    return preview


@blueprint.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token: see _explain_expired
def cancel_event(event_id: int):
    """A page that says who will be emailed and shows the email; its form cancels."""
    event = _event(event_id)
    if event.status == EventStatus.CANCELLED:
        flash("This event is already cancelled.", "info")
        return redirect(url_for(".event_detail", event_id=event.id))
    session = get_session()
    form = CancelEventForm()
    if not form.validate_on_submit():
        _explain_expired(form)
        return _cancel_confirmation(session, form, event, 400 if form.is_submitted() else 200)
    people = registrations.people_to_tell(session=session, event_id=event.id)
    if "preview" in request.form or reach_changed(form, people):
        return _cancel_confirmation(session, form, event, 200)
    services.cancel_event(session=session, event=event, reason=form.reason.data)
    told = announcements.tell_about_cancellation(session, event)
    flash(f"Cancelled. {_told(told)}." if told else "Cancelled. Nobody was registered.", "info")
    return redirect(url_for(".event_detail", event_id=event.id))


def _cancel_confirmation(session, form, event: Event, status: int):
    people = registrations.people_to_tell(session=session, event_id=event.id)
    sample = _sample(people)
    subject, text = _previewed(
        notifications.cancelled_message(event, sample, form.reason.data or None), sample
    )
    page = render_template(
        "events/admin_cancel.html",
        form=form,
        event=event,
        reach=_reach(people),
        total=len(people),
        subject=subject,
        preview=text,
    )
    return page, status


def _reach(people: list[Registration]) -> str:
    """'12 registered people and 3 on the waitlist', for the confirmation pages."""
    waiting = sum(person.status == RegistrationStatus.WAITLISTED for person in people)
    going = len(people) - waiting
    parts = [counted(going, "registered person")] if going or not waiting else []
    if waiting:
        parts.append(f"{waiting} on the waitlist")
    return " and ".join(parts)


def _told(told: int) -> str:
    return f"{counted(told, 'person was', 'people were')} told"


def _previewed(message: tuple[str, str], sample: Registration) -> tuple[str, str]:
    """The email as a person reads it, with the stand-in's link named for what it is."""
    subject, text = message
    return subject, text.replace(notifications.manage_url(sample), "(their own link)")


def _sample(people: list[Registration]) -> Registration:
    """Whom the preview is addressed to: the first person told, or a stand-in."""
    first = people[0] if people else None
    return Registration(
        id=0,
        event_id=0,
        name=first.name if first else "Ada",
        email="preview@example.org",
        status=RegistrationStatus.REGISTERED,
    )


def _explain_expired(form) -> None:
    """These pages check the CSRF token in their form rather than before the view, so a
    token that expired while the organiser typed shows the form again, nothing lost."""
    if form.is_submitted() and form.meta.csrf and form.csrf_token.errors:
        form.form_errors.append(
            "The page was open too long and its form expired. Nothing was lost: check the "
            "fields and press the button again."
        )


@blueprint.post("/<int:event_id>/<any(publish, duplicate):action>")
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
    copy = services.duplicate_event(session=session, event=event)
    flash(
        f"Duplicated “{event.title}” as a draft one week later. Check the date before publishing.",
        "info",
    )
    return copy


@blueprint.get("/<int:event_id>/attendees.csv")
def attendees_csv(event_id: int):
    event = _event(event_id)
    people = registrations.people_to_tell(session=get_session(), event_id=event.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "name",
            "email",
            "status",
            "registered_at",
            "promoted_at",
            "checked_in_at",
            "checked_in_by",
        ]
    )
    for person in people:
        writer.writerow(
            [
                _cell(person.name),
                _cell(person.email),
                person.status,
                person.queued_at.isoformat(),
                _moment(person.promoted_at),
                _moment(person.checked_in_at),
                _cell(person.checked_in_by or ""),
            ]
        )
    filename = f"{event.slug}-attendees.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _moment(moment) -> str:
    return moment.isoformat() if moment else ""


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
