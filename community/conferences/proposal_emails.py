"""The emails of a proposal: its confirmation with the speaker's own link, and the decision."""

from flask import render_template
from sqlmodel import Session

from community.conferences.proposal_tokens import proposal_url
from community.conferences.proposals import cfp_window, people_of
from community.links import public_url
from community.models import Conference, Event, Proposal
from community.outbox import queue_email
from community.person_names import name_for_email
from community.rate_limits import may_email


def tell_submitted(session: Session, conference: Conference, event: Event, proposal: Proposal):
    """The confirmation with the link to see, change or withdraw the proposal. A stranger can
    type any address into the form, so these are capped per address like every email a public
    form sends, and the words typed in reach it only as text no mail client links."""
    if not may_email(session, to=proposal.speaker_email, purpose=f"cfp:{proposal.id}"):
        return
    closes_at = cfp_window(conference, event).closes_at
    text = render_template(
        "conferences/email/cfp_submitted.txt",
        event=event,
        name=name_for_email(proposal.speaker_name),
        title=name_for_email(proposal.title),
        closes_at=closes_at,
        proposal_url=proposal_url(conference, proposal),
    )
    subject = f"Your proposal for {event.title} is in"
    queue_email(session, to=proposal.speaker_email, subject=subject, text=text)


def tell_accepted(session: Session, conference: Conference, event: Event, proposal: Proposal):
    _tell_speakers(session, conference, event, proposal, "accepted", "Accepted")


def tell_rejected(session: Session, conference: Conference, event: Event, proposal: Proposal):
    _tell_speakers(session, conference, event, proposal, "rejected", "About your proposal")


def _tell_speakers(
    session: Session,
    conference: Conference,
    event: Event,
    proposal: Proposal,
    decision: str,
    subject_start: str,
) -> None:
    for person in people_of(proposal):
        text = render_template(
            f"conferences/email/cfp_{decision}.txt",
            event=event,
            name=name_for_email(person.name),
            title=proposal.title,
            event_url=public_url(f"/events/{event.id}"),
            proposal_url=proposal_url(conference, proposal),
        )
        subject = f"{subject_start}: “{proposal.title}” at {event.title}"
        queue_email(session, to=person.email, subject=subject, text=text)
