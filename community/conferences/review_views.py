"""Reviewing proposals: scores and comments, then the organisers' accept or reject."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.conferences.programme import conference_by_acronym, event_of
from community.conferences.proposal_decisions import (
    DecisionError,
    accept_proposal,
    reject_proposal,
    session_of_proposal,
)
from community.conferences.proposal_forms import ReviewForm
from community.conferences.reviews import (
    ReviewError,
    review_queue,
    reviews_seen,
    save_review,
)
from community.conferences.team import can_review
from community.db import get_session
from community.forms import ConfirmForm
from community.models import Conference, Proposal, Track
from community.rich_text import markdown_to_html

blueprint = Blueprint("proposal_review", __name__, template_folder="templates")


@blueprint.before_request
@login_required
def _require_login():
    return None


@blueprint.get("/review/<acronym>")
def queue(acronym: str):
    conference = _reviewable(acronym)
    session = get_session()
    return render_template(
        "conferences/review_queue.html",
        conference=conference,
        event=event_of(session, conference),
        rows=review_queue(session, conference, current_user),
    )


@blueprint.route("/review/<acronym>/proposals/<int:proposal_id>", methods=["GET", "POST"])
def proposal(acronym: str, proposal_id: int):
    conference = _reviewable(acronym)
    item = _proposal_of(conference, proposal_id)
    seen = reviews_seen(get_session(), item, current_user)
    form = ReviewForm()
    if request.method == "GET" and seen.mine is not None:
        form = ReviewForm(formdata=None, score=str(seen.mine.score), comment=seen.mine.comment)
    if request.method == "GET" or not form.validate_on_submit():
        return _proposal_page(conference, item, form, 200 if request.method == "GET" else 400)
    try:
        save_review(
            get_session(),
            item,
            current_user,
            score=int(form.score.data),
            comment=form.comment.data or "",
        )
    except ReviewError as error:
        form.form_errors.append(str(error))
        return _proposal_page(conference, item, form, 400)
    flash("Your review is saved.", "success")
    return redirect(url_for(".proposal", acronym=acronym, proposal_id=item.id))


@blueprint.post("/review/<acronym>/proposals/<int:proposal_id>/accept")
def accept(acronym: str, proposal_id: int):
    return _decide(acronym, proposal_id, accept_proposal, "accepted")


@blueprint.post("/review/<acronym>/proposals/<int:proposal_id>/reject")
def reject(acronym: str, proposal_id: int):
    return _decide(acronym, proposal_id, reject_proposal, "rejected")


def _decide(acronym: str, proposal_id: int, decide, done: str):
    conference = _reviewable(acronym)
    if not current_user.is_organiser:
        abort(403)  # reviewers score; organisers decide
    item = _proposal_of(conference, proposal_id)
    back = redirect(url_for(".proposal", acronym=acronym, proposal_id=item.id))
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please press the button again.", "error")
        return back
    session = get_session()
    event = event_of(session, conference)
    try:
        decision = decide(session, conference, event, item, by=current_user.email)
    except DecisionError as error:
        flash(str(error), "error")
        return back
    if decision.made_now:
        flash(f"“{item.title}” is {done}; the speakers are being emailed.", "success")
    else:
        flash(f"“{item.title}” was {done} already; nothing was sent again.", "info")
    return back


def _proposal_page(conference: Conference, item: Proposal, form: ReviewForm, status: int):
    session = get_session()
    return render_template(
        "conferences/review_proposal.html",
        conference=conference,
        event=event_of(session, conference),
        proposal=item,
        track=session.get(Track, item.track_id) if item.track_id else None,
        abstract=markdown_to_html(item.abstract),
        speaker_bio=markdown_to_html(item.speaker_bio),
        seen=reviews_seen(session, item, current_user),
        form=form,
        confirm=ConfirmForm(),
        accepted_session=session_of_proposal(session, item),
    ), status


def _reviewable(acronym: str) -> Conference:
    """The conference, if the person logged in may review its proposals (403 if not)."""
    session = get_session()
    conference = conference_by_acronym(session, acronym)
    if conference is None:
        abort(404)
    if not can_review(session, current_user, conference):
        abort(403)
    return conference


def _proposal_of(conference: Conference, proposal_id: int) -> Proposal:
    item = get_session().get(Proposal, proposal_id)
    if item is None or item.conference_id != conference.id:
        abort(404)
    return item
