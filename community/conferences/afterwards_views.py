"""After a conference: recordings and slides, the follow-up email and its feedback survey."""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.conferences import feedback, follow_up, recordings
from community.conferences.afterwards_forms import feedback_form, session_form
from community.conferences.programme import (
    conference_by_acronym,
    event_of,
    sessions_of,
    speakers_of_sessions,
)
from community.config import settings
from community.db import get_session
from community.fetch_policy import fetch_policy
from community.forms import ConfirmForm
from community.models import Conference, ConferenceSession, ContentItem, SessionKind
from community.models.types import utcnow
from community.plurals import counted

blueprint = Blueprint("afterwards", __name__, template_folder="templates")


def organiser_only(view):
    """Organisers alone: the team accounts of reviewers and door helpers are refused."""

    @wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return checked


def _conference(acronym: str) -> Conference:
    conference = conference_by_acronym(get_session(), acronym)
    if conference is None:
        abort(404)
    return conference


def _recordable(conference: Conference) -> list[ConferenceSession]:
    sessions = sessions_of(get_session(), conference)
    return [item for item in sessions if item.kind != SessionKind.BREAK]


@blueprint.get("/admin/conferences/<acronym>/recordings")
@organiser_only
def recordings_page(acronym: str):
    return _recordings_page(_conference(acronym))


def _recordings_page(conference: Conference, failed=None, status: int = 200):
    """Every session's form; `failed` is (session id, form) of one refused with its input."""
    session = get_session()
    sessions = _recordable(conference)
    items = _items(sessions)
    forms = {}
    for item in sessions:
        if failed and failed[0] == item.id:
            forms[item.id] = failed[1]
        else:
            forms[item.id] = session_form(item.id, formdata=None, obj=item)
    event = event_of(session, conference)
    return render_template(
        "conferences/afterwards_recordings.html",
        conference=conference,
        event=event,
        sessions=sessions,
        speakers=speakers_of_sessions(session, [item.id for item in sessions]),
        items=items,
        forms=forms,
        failed_id=failed[0] if failed else None,
        ended=event.ends_at <= utcnow(),
        follow_up_form=ConfirmForm(),
        origin_name=_origin_name,
    ), status


def _items(sessions: list[ConferenceSession]) -> dict[int, ContentItem]:
    session = get_session()
    found = {}
    for item in sessions:
        if item.content_item_id is not None:
            content = session.get(ContentItem, item.content_item_id)
            if content is not None:
                found[item.id] = content
    return found


def _origin_name(origin: str | None) -> str | None:
    if origin and origin.startswith(recordings.UPLOADED):
        return f"uploaded file {origin.removeprefix(recordings.UPLOADED)}"
    return origin


@blueprint.post("/admin/conferences/<acronym>/recordings/<int:session_id>")
@organiser_only
def save_recording(acronym: str, session_id: int):
    conference = _conference(acronym)
    session = get_session()
    conference_session = session.get(ConferenceSession, session_id)
    if conference_session is None or conference_session.conference_id != conference.id:
        abort(404)
    form = session_form(session_id)
    if not form.validate():
        return _recordings_page(conference, (session_id, form), 400)
    try:
        change = recordings.RecordingChange(
            recording_url=form.link("recording_url"),
            slides_url=form.link("slides_url"),
            captions=_captions(form, conference_session),
            remove_captions=form.remove_captions.data,
        )
        recordings.save_recording(session, conference_session, change)
    except recordings.CaptionsError as error:
        form.form_errors.append(str(error))
        return _recordings_page(conference, (session_id, form), 400)
    flash(_saved_message(conference_session), "success")
    return redirect(url_for(".recordings_page", acronym=acronym, _anchor=f"session-{session_id}"))


def _captions(form, conference_session: ConferenceSession) -> recordings.Captions | None:
    """New captions: an uploaded file, else a link other than the one already read."""
    upload = form.captions_file.data
    max_bytes = settings().FEEDS_MAX_BYTES
    if upload is not None and getattr(upload, "filename", ""):
        content = upload.stream.read(max_bytes + 1)
        return recordings.captions_from_upload(upload.filename, content, max_bytes)
    link = form.link("captions_url")
    if link and not form.remove_captions.data and link != conference_session.captions_url:
        return recordings.captions_from_url(link, fetch_policy(settings()))
    if not link and conference_session.captions_url and not form.remove_captions.data:
        form.remove_captions.data = True  # the link was cleared: so are its captions
    return None


def _saved_message(conference_session: ConferenceSession) -> str:
    item = (
        get_session().get(ContentItem, conference_session.content_item_id)
        if conference_session.content_item_id
        else None
    )
    if item is not None and item.status == "published":
        passages = counted(len(item.transcript_passages or []), "passage")
        return f"Saved “{conference_session.title}”: in the knowledge base with {passages}."
    return f"Saved “{conference_session.title}”."


@blueprint.post("/admin/conferences/<acronym>/follow-up")
@organiser_only
def send_follow_up(acronym: str):
    conference = _conference(acronym)
    if not ConfirmForm().validate():
        abort(400)
    try:
        result = follow_up.send_follow_up(get_session(), conference)
    except follow_up.FollowUpError as error:
        flash(str(error), "error")
        return redirect(url_for(".recordings_page", acronym=acronym))
    flash(result.summary(), "success")
    return redirect(url_for(".recordings_page", acronym=acronym))


@blueprint.get("/admin/conferences/<acronym>/feedback")
@organiser_only
def feedback_results(acronym: str):
    conference = _conference(acronym)
    session = get_session()
    return render_template(
        "conferences/afterwards_feedback.html",
        conference=conference,
        event=event_of(session, conference),
        results=feedback.results(session, conference),
        ratings=feedback.RATINGS,
    )


@blueprint.route("/conferences/<acronym>/feedback/<token>", methods=["GET", "POST"])
def survey(acronym: str, token: str):
    conference = _conference(acronym)
    session = get_session()
    registration = feedback.registration_for(session, conference, token)
    if registration is None:
        abort(404)
    sessions = follow_up.sessions_for(session, conference, registration).sessions
    answers = feedback.answers_of(session, registration)
    form = feedback_form([item.id for item in sessions], answers)
    event = event_of(session, conference)
    if request.method == "POST" and form.validate():
        problem = _answer_problem(form, sessions)
        if problem is None:
            saved = _save_answers(form, registration, sessions)
            return render_template(
                "conferences/feedback_thanks.html",
                event=event,
                saved=saved,
                again_url=url_for(".survey", acronym=acronym, token=token),
            )
        form.form_errors.append(problem)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "conferences/feedback_survey.html",
        conference=conference,
        event=event,
        registration=registration,
        sessions=sessions,
        speakers=speakers_of_sessions(session, [item.id for item in sessions]),
        form=form,
        answered=bool(answers),
    ), status


def _answer_problem(form, sessions: list[ConferenceSession]) -> str | None:
    """Why the answers cannot be saved as sent: nothing rated, or a comment without a rating."""
    for item in sessions:
        if form[f"comment_{item.id}"].data and not form[f"rating_{item.id}"].data:
            return f"Choose a rating from 1 to 5 for “{item.title}” to send your comment on it."
    if not any(form[f"rating_{item.id}"].data for item in sessions):
        return "Choose a rating from 1 to 5 for at least one session."
    return None


def _save_answers(form, registration, sessions: list[ConferenceSession]) -> int:
    saved = 0
    for item in sessions:
        rating = form[f"rating_{item.id}"].data
        if rating:
            comment = form[f"comment_{item.id}"].data or ""
            feedback.save_answer(get_session(), registration, item, rating=rating, comment=comment)
            saved += 1
    return saved
