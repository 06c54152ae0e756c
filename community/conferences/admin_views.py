"""Organiser pages of a conference: stages, tracks, sessions, placing them, publishing."""

import hashlib
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import select

from community.accounts.sessions import organisers_only
from community.conferences import conference_admin as admin
from community.conferences import placement, programme, team_invitations
from community.conferences.admin_forms import (
    InviteForm,
    MakeConferenceForm,
    PlaceForm,
    SessionForm,
    SettingsForm,
    StageForm,
    TrackForm,
)
from community.conferences.conference_admin import AdminError
from community.conferences.team_invitations import ROLE_NAMES, TeamError
from community.db import get_session
from community.forms import ConfirmForm
from community.models import Conference, ConferenceSession, Event, Stage, Track
from community.plurals import counted

blueprint = Blueprint("conference_admin", __name__, template_folder="templates")
organisers_only(blueprint)
PREFIX = "/admin/conferences"


@blueprint.app_context_processor
def event_admin_programme_context():
    """What the event organiser page's programme partial asks for, looked up only there."""
    return {
        "conference_of_event": lambda event: programme.conference_of_event(get_session(), event.id),
        "make_conference_form": MakeConferenceForm,
    }


@blueprint.get(PREFIX)
def conference_list():
    session = get_session()
    statement = (
        select(Conference, Event)
        .join(Event, Event.id == Conference.event_id)
        .order_by(Event.starts_at.desc())
    )
    return render_template("conferences/admin_list.html", rows=list(session.exec(statement)))


@blueprint.post(f"{PREFIX}/from-event/<int:event_id>")
def make_conference(event_id: int):
    session = get_session()
    event = session.get(Event, event_id) or abort(404)
    form = MakeConferenceForm()
    if form.validate_on_submit():
        try:
            conference = admin.make_conference(session, event, form.acronym.data)
        except AdminError as error:
            form.acronym.errors.append(str(error))
        else:
            flash("It is a conference now. Add its stages, tracks and sessions.", "info")
            return _to_conference(conference)
    return render_template("conferences/admin_new.html", event=event, form=form), 400


@blueprint.get(f"{PREFIX}/<acronym>")
def conference_page(acronym: str):
    session = get_session()
    conference = _conference(acronym)
    event = programme.event_of(session, conference)
    sessions = programme.sessions_of(session, conference)
    conflicts = placement.programme_conflicts(session, conference)
    return render_template(
        "conferences/admin_conference.html",
        conference=conference,
        event=event,
        zone=ZoneInfo(event.timezone),
        stages=programme.stages_of(session, conference),
        tracks={track.id: track for track in programme.tracks_of(session, conference)},
        days=_placed_by_day(event, [item for item in sessions if _placed(item)]),
        unplaced=[item for item in sessions if not _placed(item)],
        speakers=programme.speakers_of_sessions(session, [item.id for item in sessions]),
        conflicts=conflicts,
        clashing={session_id for conflict in conflicts for session_id in conflict.session_ids},
        team=team_invitations.team_of(session, conference),
        role_names=ROLE_NAMES,
        track_form=TrackForm(prefix="track"),
        invite_form=InviteForm(prefix="invite"),
        confirm=ConfirmForm(),
    )


def _placed(item: ConferenceSession) -> bool:
    return item.stage_id is not None and item.starts_at is not None


def _placed_by_day(event: Event, placed: list[ConferenceSession]):
    """[(day, its sessions)], each day of the conference, plus sessions outside them last."""
    days = programme.conference_days(event)
    grouped = [
        (day, [s for s in placed if day.starts_at <= s.starts_at < day.ends_at]) for day in days
    ]
    outside = [s for s in placed if not any(d.starts_at <= s.starts_at < d.ends_at for d in days)]
    return grouped + ([(None, outside)] if outside else [])


@blueprint.route(f"{PREFIX}/<acronym>/settings", methods=["GET", "POST"])
def settings_page(acronym: str):
    session = get_session()
    conference = _conference(acronym)
    event = programme.event_of(session, conference)
    form = SettingsForm(ZoneInfo(event.timezone))
    if not form.is_submitted():
        form.fill_from(conference)
    elif form.validate():
        try:
            admin.update_settings(session, conference, form.to_input())
        except AdminError as error:
            form.form_errors.append(str(error))
        else:
            flash("Settings saved.", "info")
            return _to_conference(conference)
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "conferences/admin_settings.html", conference=conference, event=event, form=form
    )
    return page, status


@blueprint.post(f"{PREFIX}/<acronym>/<any(publish, unpublish):action>")
def publish(acronym: str, action: str):
    conference = _conference(acronym)
    if ConfirmForm().validate_on_submit():
        if action == "publish":
            admin.publish_agenda(conference)
            flash(f"The agenda is public at /conferences/{conference.acronym}.", "info")
        else:
            admin.unpublish_agenda(conference)
            flash("The agenda is hidden again; only organisers see it.", "info")
    return _to_conference(conference)


@blueprint.route(f"{PREFIX}/<acronym>/stages/new", methods=["GET", "POST"])
def new_stage(acronym: str):
    return _stage_page(_conference(acronym), None)


@blueprint.route(f"{PREFIX}/<acronym>/stages/<int:stage_id>", methods=["GET", "POST"])
def edit_stage(acronym: str, stage_id: int):
    conference = _conference(acronym)
    return _stage_page(conference, _own(Stage, conference, stage_id))


def _stage_page(conference: Conference, stage: Stage | None):
    session = get_session()
    form = StageForm()
    if not form.is_submitted() and stage is not None:
        form.fill_from(stage)
    if form.validate_on_submit():
        try:
            if stage is None:
                stage = admin.add_stage(session, conference, form.to_input())
            else:
                admin.update_stage(session, conference, stage, form.to_input())
        except AdminError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Saved the stage {stage.name}.", "info")
            return _to_conference(conference, "stages")
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "conferences/admin_stage_form.html", conference=conference, stage=stage, form=form
    )
    return page, status


@blueprint.post(f"{PREFIX}/<acronym>/stages/<int:stage_id>/remove")
def remove_stage(acronym: str, stage_id: int):
    conference = _conference(acronym)
    stage = _own(Stage, conference, stage_id)
    if ConfirmForm().validate_on_submit():
        moved = admin.remove_stage(get_session(), conference, stage)
        note = f" {counted(moved, 'session')} went back to the unplaced ones." if moved else ""
        flash(f"Removed the stage {stage.name}.{note}", "info")
    return _to_conference(conference, "stages")


@blueprint.post(f"{PREFIX}/<acronym>/tracks")
def add_track(acronym: str):
    session = get_session()
    conference = _conference(acronym)
    form = TrackForm(prefix="track")
    if form.validate_on_submit():
        try:
            track = admin.add_track(session, conference, form.name.data, form.color.data or None)
        except AdminError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added the track {track.name}.", "info")
            return _to_conference(conference, "tracks")
    page = render_template(
        "conferences/admin_track_form.html", conference=conference, track=None, form=form
    )
    return page, 400


@blueprint.route(f"{PREFIX}/<acronym>/tracks/<int:track_id>", methods=["GET", "POST"])
def edit_track(acronym: str, track_id: int):
    session = get_session()
    conference = _conference(acronym)
    track = _own(Track, conference, track_id)
    form = TrackForm(prefix="track")
    if not form.is_submitted():
        form.name.data, form.color.data = track.name, track.color or "#1f6feb"
    elif form.validate():
        try:
            admin.update_track(session, conference, track, form.name.data, form.color.data or None)
        except AdminError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Saved the track {track.name}.", "info")
            return _to_conference(conference, "tracks")
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "conferences/admin_track_form.html", conference=conference, track=track, form=form
    )
    return page, status


@blueprint.post(f"{PREFIX}/<acronym>/tracks/<int:track_id>/remove")
def remove_track(acronym: str, track_id: int):
    conference = _conference(acronym)
    track = _own(Track, conference, track_id)
    if ConfirmForm().validate_on_submit():
        admin.remove_track(get_session(), conference, track)
        flash(f"Removed the track {track.name}; its sessions stay, in no track.", "info")
    return _to_conference(conference, "tracks")


@blueprint.route(f"{PREFIX}/<acronym>/sessions/new", methods=["GET", "POST"])
def new_session(acronym: str):
    return _session_page(_conference(acronym), None)


@blueprint.route(f"{PREFIX}/<acronym>/sessions/<int:session_id>", methods=["GET", "POST"])
def edit_session(acronym: str, session_id: int):
    conference = _conference(acronym)
    return _session_page(conference, _own(ConferenceSession, conference, session_id))


def _session_page(conference: Conference, item: ConferenceSession | None):
    session = get_session()
    form = SessionForm()
    form.offer(
        programme.tracks_of(session, conference), admin.speakers_of_conference(session, conference)
    )
    if not form.is_submitted() and item is not None:
        speakers = programme.speakers_of_sessions(session, [item.id])[item.id]
        form.fill_from(item, [speaker.id for speaker in speakers])
    if form.validate_on_submit():
        try:
            if item is None:
                item = admin.add_session(session, conference, form.to_input())
            else:
                admin.update_session(session, conference, item, form.to_input())
        except AdminError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Saved “{item.title}”.", "info")
            placed = _placed(item)
            return redirect(
                url_for(".conference_page", acronym=conference.acronym, _anchor="programme")
                if placed
                else url_for(".place_session", acronym=conference.acronym, session_id=item.id)
            )
    status = 400 if form.is_submitted() else 200
    page = render_template(
        "conferences/admin_session_form.html",
        conference=conference,
        item=item,
        form=form,
        confirm=ConfirmForm(),
    )
    return page, status


@blueprint.post(f"{PREFIX}/<acronym>/sessions/<int:session_id>/remove")
def remove_session(acronym: str, session_id: int):
    conference = _conference(acronym)
    item = _own(ConferenceSession, conference, session_id)
    if ConfirmForm().validate_on_submit():
        admin.remove_session(get_session(), conference, item)
        flash(f"Removed “{item.title}”.", "info")
    return _to_conference(conference, "programme")


@blueprint.route(f"{PREFIX}/<acronym>/sessions/<int:session_id>/place", methods=["GET", "POST"])
def place_session(acronym: str, session_id: int):
    """Saves at once without clashes; with clashes, saves only once the organiser has seen
    these very warnings and pressed "Place anyway"."""
    session = get_session()
    conference = _conference(acronym)
    item = _own(ConferenceSession, conference, session_id)
    event = programme.event_of(session, conference)
    stages = programme.stages_of(session, conference)
    form = PlaceForm(ZoneInfo(event.timezone), programme.conference_days(event), stages)
    if not form.is_submitted():
        form.fill_from(item)
        return _place_page(conference, item, form, stages, [], 200)
    if not form.validate():
        return _place_page(conference, item, form, stages, [], 400)
    starts_at, minutes = form.starts_at(), form.duration_minutes.data
    conflicts = placement.conflicts_of(
        session, conference, item, form.stage.data, starts_at, minutes
    )
    seen = _fingerprint(conflicts)
    if conflicts and not ("place_anyway" in request.form and form.acknowledged.data == seen):
        form.acknowledged.data = seen
        return _place_page(conference, item, form, stages, conflicts, 409)
    stage = next(stage for stage in stages if stage.id == form.stage.data)
    try:
        admin.place_session(
            conference, item, stage=stage, starts_at=starts_at, duration_minutes=minutes
        )
    except AdminError as error:
        form.form_errors.append(str(error))
        return _place_page(conference, item, form, stages, [], 400)
    warned = f" despite {counted(len(conflicts), 'conflict')}" if conflicts else ""
    flash(f"Placed “{item.title}” on {stage.name}{warned}.", "warning" if conflicts else "info")
    return _to_conference(conference, "programme")


def _place_page(conference, item, form, stages, conflicts, status: int):
    page = render_template(
        "conferences/admin_place.html",
        conference=conference,
        item=item,
        form=form,
        stages=stages,
        conflicts=conflicts,
    )
    return page, status


def _fingerprint(conflicts: list[placement.Conflict]) -> str:
    """Names the exact clashes shown, so "Place anyway" accepts those and no others."""
    text = "\n".join(sorted(conflict.message for conflict in conflicts))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@blueprint.post(f"{PREFIX}/<acronym>/sessions/<int:session_id>/unplace")
def unplace_session(acronym: str, session_id: int):
    conference = _conference(acronym)
    item = _own(ConferenceSession, conference, session_id)
    if ConfirmForm().validate_on_submit():
        admin.unplace_session(conference, item)
        flash(f"“{item.title}” is off the agenda, among the unplaced sessions.", "info")
    return _to_conference(conference, "unplaced")


@blueprint.post(f"{PREFIX}/<acronym>/team")
def invite_team_member(acronym: str):
    session = get_session()
    conference = _conference(acronym)
    form = InviteForm(prefix="invite")
    if form.validate_on_submit():
        try:
            invitation = team_invitations.invite(
                session,
                conference,
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                invited_by=current_user.email,
            )
        except TeamError as error:
            form.email.errors.append(str(error))
        else:
            flash(_invited_message(invitation), "info")
            return _to_conference(conference, "team")
    page = render_template("conferences/admin_invite.html", conference=conference, form=form)
    return page, 400


def _invited_message(invitation: team_invitations.Invitation) -> str:
    role = ROLE_NAMES[invitation.member.role]
    email = invitation.account.email
    if invitation.account.is_organiser:
        return f"{email} is an organiser already; they are now listed as a {role} too."
    if invitation.new_account:
        return f"Invited {email} as a {role}: the email has a link to set a password."
    return f"{email} is now a {role} here too; the email tells them."


@blueprint.post(f"{PREFIX}/<acronym>/team/<int:member_id>/remove")
def remove_team_member(acronym: str, member_id: int):
    conference = _conference(acronym)
    if ConfirmForm().validate_on_submit():
        try:
            account = team_invitations.remove_member(get_session(), conference, member_id)
        except TeamError as error:
            flash(str(error), "error")
        else:
            flash(f"{account.email} is off the team.", "info")
    return _to_conference(conference, "team")


def _conference(acronym: str) -> Conference:
    return programme.conference_by_acronym(get_session(), acronym) or abort(404)


def _own(model, conference: Conference, row_id: int):
    row = get_session().get(model, row_id)
    if row is None or row.conference_id != conference.id:
        abort(404)
    return row


def _to_conference(conference: Conference, section: str | None = None):
    return redirect(url_for(".conference_page", acronym=conference.acronym, _anchor=section))
