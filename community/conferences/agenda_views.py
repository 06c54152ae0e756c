"""The public agenda: days, stages, tracks, sessions and speakers, and each person's own agenda."""

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from community.conferences import agenda as agendas
from community.conferences.agenda import Agenda, AgendaEntry
from community.conferences.agenda_calendar import (
    agenda_calendar,
    calendar_etag,
    google_calendar_url,
)
from community.conferences.agenda_personal import (
    LinkRefused,
    may_join_streams,
    registration_of_link,
)
from community.conferences.programme import conference_by_acronym, conference_of_event, event_of
from community.conferences.stars import star, starred_session_ids, unstar
from community.db import get_session
from community.forms import ConfirmForm
from community.models import Registration, Track
from community.models.types import utcnow
from community.rich_text import markdown_to_html

blueprint = Blueprint("agenda", __name__, template_folder="templates")
HIGHLIGHTS = 3
KIND_LABELS = {
    "talk": "Talk",
    "workshop": "Workshop",
    "panel": "Panel",
    "keynote": "Keynote",
    "break": "Break",
}
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")
BACK_TO = ("my", "agenda", "session")


@dataclass(frozen=True)
class Visitor:
    """Who reads the page: the public, an organiser previewing, or a registration's holder."""

    preview: bool = False
    token: str | None = None
    registration: Registration | None = None
    starred: frozenset[int] = frozenset()


@blueprint.context_processor
def agenda_helpers():
    return {
        "kind_label": kind_label,
        "track_colour": track_colour,
        "clock_span": clock_span,
        "session_when": session_when,
        "day_label": day_label,
        "star_form": ConfirmForm(),
    }


@blueprint.app_template_global()
def conference_for_event(event_id: int) -> "ProgrammeSummary | None":
    """For the events pages' partials: the event's conference, when its agenda is public."""
    session = get_session()
    conference = conference_of_event(session, event_id)
    if conference is None:
        return None
    event = event_of(session, conference)
    if not agendas.is_public(conference, event):
        return None
    return ProgrammeSummary(agendas.load_agenda(session, conference, event))


@dataclass(frozen=True)
class ProgrammeSummary:
    agenda: Agenda

    @property
    def acronym(self) -> str:
        return self.agenda.conference.acronym

    @property
    def highlights(self) -> list[AgendaEntry]:
        """Keynotes first, then the first sessions that are not breaks."""
        shown = [entry for entry in self.agenda.entries if entry.item.kind != "break"]
        keynotes = [entry for entry in shown if entry.item.kind == "keynote"]
        others = [entry for entry in shown if entry.item.kind != "keynote"]
        return (keynotes + others)[:HIGHLIGHTS]

    def join_links(self, registration: Registration | None):
        if not may_join_streams(registration):
            return []
        return agendas.virtual_stages(self.agenda)

    def count(self) -> int:
        return len(self.agenda.entries)


# Template helpers


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())


def track_colour(track: Track | None) -> str | None:
    """Only a plain hex colour reaches a style attribute: imported schedules set these."""
    if track is None or not track.color or not _COLOUR.fullmatch(track.color):
        return None
    return track.color


def clock_span(entry: AgendaEntry, zone: ZoneInfo) -> str:
    """'10:00–10:30 CET' in the conference's zone."""
    start, end = entry.starts_at.astimezone(zone), entry.ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M} {start.tzname()}"


def session_when(entry: AgendaEntry, zone: ZoneInfo) -> str:
    """'Sat 12 Dec 2026, 10:00–11:30 CET' in the conference's zone."""
    start = entry.starts_at.astimezone(zone)
    return f"{start:%a} {start.day} {start:%b %Y}, {clock_span(entry, zone)}"


def day_label(day) -> str:
    return f"Day {day.index} · {day.date:%a} {day.date.day} {day.date:%b}"


# Pages


@blueprint.get("/conferences")
def conference_list():
    rows = agendas.public_conferences(get_session(), utcnow())
    return render_template("conferences/agenda_list.html", rows=rows, now=utcnow())


@blueprint.get("/conferences/<acronym>")
def agenda_page(acronym: str):
    agenda = _agenda(acronym)
    visitor = _visitor_from_query(agenda)
    now = utcnow()
    day = agendas.chosen_day(agenda, request.args.get("day"), now)
    track = agendas.find_track(agenda, request.args.get("track"))
    stage = agendas.find_stage(agenda, request.args.get("stage"))
    _say_unknown_filters(track, stage)
    entries = agendas.filtered(agenda.on_day(day), track=track, stage=stage)
    return render_template(
        "conferences/agenda.html",
        agenda=agenda,
        visitor=visitor,
        day=day,
        track=track,
        stage=stage,
        entries=entries,
        board=agendas.now_and_next(agenda, now),
        now=now,
    )


@blueprint.get("/conferences/<acronym>/sessions/<slug>")
def session_page(acronym: str, slug: str):
    agenda = _agenda(acronym)
    entry = _entry(agenda, slug)
    visitor = _visitor_from_query(agenda)
    return render_template(
        "conferences/agenda_session.html",
        agenda=agenda,
        visitor=visitor,
        entry=entry,
        abstract=markdown_to_html(entry.item.abstract),
        description=markdown_to_html(entry.item.description),
        google_url=google_calendar_url(agenda, entry),
        day=agenda.day_of(entry),
    )


@blueprint.get("/conferences/<acronym>/speakers/<slug>")
def speaker_page(acronym: str, slug: str):
    agenda = _agenda(acronym)
    speaker = agendas.speaker_by_slug(get_session(), agenda.conference, slug)
    if speaker is None:
        abort(404, description="No speaker of this conference has that address.")
    theirs = agendas.session_ids_of_speaker(get_session(), speaker)
    return render_template(
        "conferences/agenda_speaker.html",
        agenda=agenda,
        visitor=_visitor_from_query(agenda),
        speaker=speaker,
        biography=markdown_to_html(speaker.biography),
        entries=[entry for entry in agenda.entries if entry.item.id in theirs],
    )


@blueprint.get("/conferences/<acronym>/agenda.ics")
def agenda_ics(acronym: str):
    agenda = _agenda(acronym)
    return _calendar_response(agenda, agenda.entries, f"{agenda.conference.acronym}.ics")


@blueprint.get("/conferences/<acronym>/sessions/<slug>.ics")
def session_ics(acronym: str, slug: str):
    agenda = _agenda(acronym)
    entry = _entry(agenda, slug)
    return _calendar_response(agenda, [entry], f"{entry.item.slug}.ics")


@blueprint.get("/conferences/<acronym>/my/<token>")
def my_agenda(acronym: str, token: str):
    agenda = _agenda(acronym)
    visitor = _visitor_from_link(agenda, token)
    starred = [entry for entry in agenda.entries if entry.item.id in visitor.starred]
    return render_template(
        "conferences/agenda_my.html",
        agenda=agenda,
        visitor=visitor,
        starred_entries=starred,
        streams=agendas.virtual_stages(agenda) if may_join_streams(visitor.registration) else [],
    )


@blueprint.post("/conferences/<acronym>/my/<token>/sessions/<slug>/star")
def toggle_star(acronym: str, token: str, slug: str):
    agenda = _agenda(acronym)
    visitor = _visitor_from_link(agenda, token)
    entry = _entry(agenda, slug)
    back = request.form.get("back") if request.form.get("back") in BACK_TO else "my"
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please press the star again.", "error")
        return _back(agenda, entry, token, back)
    session = get_session()
    if request.form.get("starred") == "1":
        star(session, entry.item, registration=visitor.registration)
        flash(f"“{entry.item.title}” is on your agenda.", "success")
    else:
        unstar(session, entry.item, registration=visitor.registration)
        flash(f"“{entry.item.title}” is off your agenda.", "info")
    return _back(agenda, entry, token, back)


def _back(agenda: Agenda, entry: AgendaEntry, token: str, back: str):
    acronym, anchor = agenda.conference.acronym, f"session-{entry.item.slug}"
    if back == "session":
        return redirect(url_for(".session_page", acronym=acronym, slug=entry.item.slug, my=token))
    if back == "agenda":
        day = agenda.day_of(entry)
        return redirect(
            url_for(
                ".agenda_page",
                acronym=acronym,
                day=day.index if day else None,
                my=token,
                _anchor=anchor,
            )
        )
    return redirect(url_for(".my_agenda", acronym=acronym, token=token, _anchor=anchor))


# Who may see what


def _agenda(acronym: str) -> Agenda:
    """The conference's agenda; 404 unless it is public or an organiser previews it."""
    session = get_session()
    conference = conference_by_acronym(session, acronym)
    if conference is None:
        abort(404, description="There is no conference with that name.")
    event = event_of(session, conference)
    if not agendas.is_public(conference, event) and not _organiser_previews():
        abort(404, description="This conference's agenda is not published yet.")
    return agendas.load_agenda(session, conference, event)


def _organiser_previews() -> bool:
    return bool(current_user.is_authenticated and current_user.is_organiser)


def _entry(agenda: Agenda, slug: str) -> AgendaEntry:
    entry = agendas.entry_by_slug(agenda, slug)
    if entry is None:
        abort(404, description="No session on this conference's agenda has that address.")
    return entry


def _visitor_from_link(agenda: Agenda, token: str) -> Visitor:
    """The holder of a registration's link; a link that opens nothing here gets a 404 page
    that says why."""
    try:
        return _holder_of(agenda, token)
    except LinkRefused as refused:
        abort(_refused_page(agenda, str(refused)))


def _visitor_from_query(agenda: Agenda) -> Visitor:
    """A page opened from "my agenda" carries its link (?my=…) and shows the stars."""
    token = request.args.get("my")
    if token:
        try:
            return _holder_of(agenda, token)
        except LinkRefused:
            flash("That personal agenda link opens no agenda here: this is the public one.")
    return Visitor(preview=_previewing(agenda))


def _holder_of(agenda: Agenda, token: str) -> Visitor:
    registration = registration_of_link(get_session(), agenda.conference, token)
    starred = starred_session_ids(get_session(), agenda.conference.id, registration=registration)
    return Visitor(
        preview=_previewing(agenda),
        token=token,
        registration=registration,
        starred=frozenset(starred),
    )


def _refused_page(agenda: Agenda, message: str) -> Response:
    page = render_template("conferences/agenda_refused.html", agenda=agenda, message=message)
    return Response(page, status=404)


def _previewing(agenda: Agenda) -> bool:
    return not agendas.is_public(agenda.conference, agenda.event)


def _say_unknown_filters(track: Track | None, stage) -> None:
    if request.args.get("track") and track is None:
        flash("There is no such track: showing every track.", "warning")
    if request.args.get("stage") and stage is None:
        flash("There is no such stage: showing every stage.", "warning")


def _calendar_response(agenda: Agenda, entries: list[AgendaEntry], filename: str) -> Response:
    """With an ETag: a calendar app asking again gets 304 until the programme changes."""
    etag = calendar_etag(agenda, entries)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        response = Response(agenda_calendar(agenda, entries), mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # An organiser's preview must not sit in a shared cache before the agenda is public.
    public = not _previewing(agenda)
    response.headers["Cache-Control"] = "public, max-age=900" if public else "private, no-cache"
    response.set_etag(etag)
    return response
