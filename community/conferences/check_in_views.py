"""Checking people in at the door of an event or a session, by QR code or typed code.

Organisers check people in at any event; the helpers an organiser named for a conference
only at that conference. The QR code in a confirmation email opens the event's door page
with its token filled in, so a phone's own camera app works as well as the page's scanner.
"""

import csv
import io
from dataclasses import dataclass

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

from community.conferences import door
from community.conferences.programme import conference_by_acronym, conference_of_event, event_of
from community.conferences.team import can_check_in
from community.db import get_session
from community.events import check_in
from community.events.check_in import CheckInRefused
from community.models import Conference, Event
from community.newsletter.subscriber_list import spreadsheet_safe

blueprint = Blueprint("check_in", __name__, template_folder="templates")
ENTRANCE = 0  # the door choice that is no session's: the way in to the whole event


@blueprint.before_request
@login_required
def _require_login():
    return None


class CheckInForm(FlaskForm):
    code = StringField("Check-in code or QR text", validators=[Length(max=1000)])
    door = SelectField("Door", coerce=int, default=ENTRANCE)
    submit = SubmitField("Check in")


@dataclass(frozen=True)
class Outcome:
    kind: str  # "checked-in", "already", "refused" or "found" (a scanned link, not yet let in)
    message: str
    name: str | None = None


@blueprint.route("/check-in/events/<int:event_id>", methods=["GET", "POST"])
def event_door(event_id: int):
    session = get_session()
    event = session.get(Event, event_id)
    if event is None:
        abort(404)
    conference = conference_of_event(session, event.id)
    if conference is not None:  # its helpers, and a choice of session doors, are there
        target = url_for(".conference_door", acronym=conference.acronym, **request.args)
        return redirect(target, code=307)
    if not current_user.is_organiser:
        abort(403)
    return _door_page(event, None)


@blueprint.route("/check-in/conferences/<acronym>", methods=["GET", "POST"])
def conference_door(acronym: str):
    conference = _conference(acronym)
    if not can_check_in(get_session(), current_user, conference):
        abort(403)
    return _door_page(event_of(get_session(), conference), conference)


def _door_page(event: Event, conference: Conference | None):
    session = get_session()
    form = CheckInForm()
    form.door.choices = _door_choices(event, conference)
    if form.validate_on_submit():
        _remember_door(conference, form.door.data)
        outcome, status = _checked_in(event, conference, form)
        form.code.data = ""
    else:
        form.door.data = _remembered_door(conference, form.door.choices)
        outcome, status = _scanned_link(event, form), 200
        if form.is_submitted():
            outcome, status = Outcome("refused", _form_problem(form)), 400
    page = render_template(
        "conferences/check_in_door.html",
        event=event,
        conference=conference,
        form=form,
        outcome=outcome,
        attendance=check_in.attendance_summary(session, event),
    )
    return page, status


def _checked_in(event: Event, conference: Conference | None, form: CheckInForm):
    session, by = get_session(), current_user.email
    try:
        if conference is None:
            done = door.DoorCheckIn(check_in.check_in(session, event, form.code.data, by))
        else:
            chosen = door.session_of(session, conference, form.door.data or None)
            done = door.check_in_at_door(session, conference, form.code.data, by, chosen)
    except CheckInRefused as refused:
        return Outcome("refused", str(refused)), 422
    name = done.entry.registration.name
    if done.changed:
        return Outcome("checked-in", done.message, name), 200
    return Outcome("already", done.message, name), 409


def _form_problem(form: CheckInForm) -> str:
    if form.door.errors:
        return "That door is not part of this conference: choose one from the list."
    if form.code.errors:
        return "That is too long for a check-in code: scan or type it again."
    return "The page was open too long and its form expired: scan or type the code again."


def _scanned_link(event: Event, form: CheckInForm) -> Outcome | None:
    """A QR code opened by the phone's camera app: who it is, for the helper to confirm."""
    scanned = request.args.get("token")
    if not scanned:
        return None
    try:
        registration = check_in.find_registration(get_session(), event, scanned)
    except CheckInRefused as refused:
        return Outcome("refused", str(refused))
    form.code.data = scanned
    if registration.checked_in_at is not None:
        when = check_in.checked_in_time(registration, event)
        message = f"Already checked in at {when} by {registration.checked_in_by}."
        return Outcome("found", message, registration.name)
    return Outcome("found", "Registered. Press Check in to let them in.", registration.name)


def _door_choices(event: Event, conference: Conference | None) -> list[tuple[int, str]]:
    choices = [(ENTRANCE, "The entrance (no session)")]
    if conference is not None:
        sessions = door.door_sessions(get_session(), conference)
        choices += [
            (item.id, f"{door.local_start(item, event.timezone)} · {item.title}")
            for item in sessions
        ]
    return choices


def _remember_door(conference: Conference | None, door_id: int) -> None:
    """A helper stands at one door for a while: the next person is checked in there too."""
    if conference is not None:
        cookie[f"check-in-door-{conference.id}"] = door_id


def _remembered_door(conference: Conference | None, choices) -> int:
    if conference is None:
        return ENTRANCE
    remembered = cookie.get(f"check-in-door-{conference.id}", ENTRANCE)
    return remembered if any(value == remembered for value, _ in choices) else ENTRANCE


@blueprint.get("/check-in/conferences/<acronym>/attendance")
def session_attendance(acronym: str):
    conference = _organisers_conference(acronym)
    session = get_session()
    event = event_of(session, conference)
    return render_template(
        "conferences/check_in_attendance.html",
        event=event,
        conference=conference,
        attendance=check_in.attendance_summary(session, event),
        rows=door.session_attendance(session, conference),
        local_start=door.local_start,
    )


@blueprint.get("/check-in/conferences/<acronym>/attendance.csv")
def session_attendance_csv(acronym: str):
    conference = _organisers_conference(acronym)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["session", "starts_at", "stage", "starred", "checked_in", "no_shows"])
    for row in door.session_attendance(get_session(), conference):
        writer.writerow(
            [
                spreadsheet_safe(row.conference_session.title),
                row.conference_session.starts_at.isoformat(),
                spreadsheet_safe(row.stage),
                row.starred,
                row.checked_in,
                "" if row.no_shows is None else row.no_shows,
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{conference.acronym}-attendance.csv"'
        },
    )


def _organisers_conference(acronym: str) -> Conference:
    conference = _conference(acronym)
    if not current_user.is_organiser:
        abort(403)
    return conference


def _conference(acronym: str) -> Conference:
    conference = conference_by_acronym(get_session(), acronym)
    if conference is None:
        abort(404)
    return conference
