"""The public call for proposals: submitting one and editing it through its signed link."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from community.conferences import proposal_emails
from community.conferences.programme import (
    conference_by_acronym,
    conference_of_event,
    event_of,
    tracks_of,
)
from community.conferences.proposal_forms import ProposalForm, proposal_form_data
from community.conferences.proposal_tokens import proposal_id_from
from community.conferences.proposals import (
    NOT_OPEN,
    ProposalError,
    can_edit,
    cfp_window,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from community.db import get_session
from community.forms import ConfirmForm
from community.models import Conference, Event, EventStatus, Proposal, Track
from community.public_limits import limit_public_write, link_token, typed_email
from community.rich_text import markdown_to_html

blueprint = Blueprint("proposals", __name__, template_folder="templates")


@blueprint.app_template_global()
def open_call_for_proposals(event_id: int) -> Conference | None:
    """For the public event page: the event's conference while its call for proposals is open."""
    session = get_session()
    conference = conference_of_event(session, event_id)
    if conference is None:
        return None
    event = event_of(session, conference)
    if event.status != EventStatus.PUBLISHED or not cfp_window(conference, event).is_open:
        return None
    return conference


@blueprint.get("/conferences/<acronym>/cfp")
def cfp(acronym: str):
    conference, event = _public_conference(acronym)
    return _cfp_page(conference, event, _new_form(conference))


@blueprint.post("/conferences/<acronym>/cfp")
@limit_public_write("cfp-submit", target=typed_email)
def submit(acronym: str):
    conference, event = _public_conference(acronym)
    form = _new_form(conference)
    if not cfp_window(conference, event).is_open:
        form.form_errors.append(NOT_OPEN)  # and what was typed stays on the page, to keep
        return _cfp_page(conference, event, form, 400)
    if not form.validate_on_submit():
        return _cfp_page(conference, event, form, 400)
    session = get_session()
    try:
        proposal = submit_proposal(session, conference, event, form.to_input())
    except ProposalError as error:
        form.form_errors.append(str(error))
        return _cfp_page(conference, event, form, 400)
    proposal_emails.tell_submitted(session, conference, event, proposal)
    flash(
        f"Thank you! An email with your proposal’s link is on its way to {proposal.speaker_email}.",
        "info",
    )
    return redirect(url_for(".submitted", acronym=acronym))


@blueprint.post("/conferences/<acronym>/cfp/more-co-speakers")
def add_co_speaker(acronym: str):
    """The same form with one more co-speaker row and everything typed kept; it saves nothing,
    so it needs no JavaScript and counts toward no limit."""
    conference, event = _public_conference(acronym)
    form = _new_form(conference)
    form.add_row()
    return _cfp_page(conference, event, form)


@blueprint.get("/conferences/<acronym>/cfp/submitted")
def submitted(acronym: str):
    conference, event = _public_conference(acronym)
    return render_template("conferences/cfp_submitted.html", conference=conference, event=event)


@blueprint.get("/conferences/<acronym>/cfp/proposals/<token>")
def proposal_page(acronym: str, token: str):
    conference, event, proposal = _proposal(acronym, token)
    form = ProposalForm(formdata=None, data=proposal_form_data(proposal))
    form.offer_tracks(tracks_of(get_session(), conference))
    return _proposal_page(conference, event, proposal, token, form)


@blueprint.post("/conferences/<acronym>/cfp/proposals/<token>")
@limit_public_write("cfp-edit", target=link_token)
def edit_proposal(acronym: str, token: str):
    conference, event, proposal = _proposal(acronym, token)
    form = _new_form(conference)
    if not form.validate_on_submit():
        return _proposal_page(conference, event, proposal, token, form, 400)
    try:
        update_proposal(get_session(), conference, event, proposal, form.to_input())
    except ProposalError as error:
        form.form_errors.append(str(error))
        return _proposal_page(conference, event, proposal, token, form, 400)
    flash("Your changes are saved.", "success")
    return redirect(url_for(".proposal_page", acronym=acronym, token=token))


@blueprint.post("/conferences/<acronym>/cfp/proposals/<token>/more-co-speakers")
def add_co_speaker_to_proposal(acronym: str, token: str):
    conference, event, proposal = _proposal(acronym, token)
    form = _new_form(conference)
    form.add_row()
    return _proposal_page(conference, event, proposal, token, form)


@blueprint.post("/conferences/<acronym>/cfp/proposals/<token>/withdraw")
@limit_public_write("cfp-withdraw", target=link_token)
def withdraw(acronym: str, token: str):
    conference, event, proposal = _proposal(acronym, token)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; please press the button again.", "error")
        return redirect(url_for(".proposal_page", acronym=acronym, token=token))
    try:
        withdraw_proposal(get_session(), conference, event, proposal)
    except ProposalError as error:
        flash(str(error), "error")
    else:
        flash("Your proposal is withdrawn. Thank you for telling us.", "info")
    return redirect(url_for(".proposal_page", acronym=acronym, token=token))


def _new_form(conference: Conference) -> ProposalForm:
    form = ProposalForm()
    form.offer_tracks(tracks_of(get_session(), conference))
    return form


def _cfp_page(conference: Conference, event: Event, form: ProposalForm, status: int = 200):
    return render_template(
        "conferences/cfp_form.html",
        conference=conference,
        event=event,
        window=cfp_window(conference, event),
        description=markdown_to_html(conference.cfp_description),
        form=form,
        has_tracks=len(form.track.choices) > 1,
    ), status


def _proposal_page(
    conference: Conference,
    event: Event,
    proposal: Proposal,
    token: str,
    form: ProposalForm,
    status: int = 200,
):
    session = get_session()
    track = session.get(Track, proposal.track_id) if proposal.track_id else None
    return render_template(
        "conferences/cfp_proposal.html",
        conference=conference,
        event=event,
        proposal=proposal,
        track=track,
        token=token,
        window=cfp_window(conference, event),
        editable=can_edit(conference, event, proposal),
        abstract=markdown_to_html(proposal.abstract),
        form=form,
        has_tracks=len(form.track.choices) > 1,
        confirm=ConfirmForm(),
    ), status


def _public_conference(acronym: str) -> tuple[Conference, Event]:
    """A published event's conference; drafts and cancelled events take no proposals."""
    session = get_session()
    conference = conference_by_acronym(session, acronym)
    if conference is None:
        abort(404)
    event = event_of(session, conference)
    if event.status != EventStatus.PUBLISHED or event.published_at is None:
        abort(404)
    return conference, event


def _proposal(acronym: str, token: str) -> tuple[Conference, Event, Proposal]:
    session = get_session()
    conference = conference_by_acronym(session, acronym)
    proposal_id = proposal_id_from(token, conference) if conference else None
    proposal = session.get(Proposal, proposal_id) if proposal_id else None
    if proposal is None or proposal.conference_id != conference.id:
        abort(404)
    return conference, event_of(session, conference), proposal
