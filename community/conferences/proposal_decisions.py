"""An organiser's accept or reject: once per proposal, each with its email to the speakers; an
accepted proposal becomes an unplaced session of the programme."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from community.conferences import proposal_emails
from community.conferences.programme import touch_programme
from community.conferences.proposals import CoSpeaker, people_of
from community.events.services import slugify
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    Proposal,
    ProposalStatus,
    SessionKind,
    SessionSpeaker,
    Speaker,
)
from community.models.types import utcnow

# Until an organiser places it, a session lasts what its format usually does.
MINUTES_BY_FORMAT = {
    SessionKind.TALK: 30,
    SessionKind.WORKSHOP: 90,
    SessionKind.PANEL: 45,
    SessionKind.KEYNOTE: 45,
}


class DecisionError(ValueError):
    """The decision cannot be made; the message says why."""


@dataclass(frozen=True)
class Decision:
    proposal: Proposal
    made_now: bool  # False when the same decision had been made before: nothing was done
    session: ConferenceSession | None = None  # the accepted proposal's session


def accept_proposal(
    session: Session, conference: Conference, event: Event, proposal: Proposal, *, by: str
) -> Decision:
    if not _decide(session, proposal, ProposalStatus.ACCEPTED, by):
        return Decision(proposal, made_now=False, session=session_of_proposal(session, proposal))
    accepted = _session_from(session, conference, proposal)
    proposal_emails.tell_accepted(session, conference, event, proposal)
    return Decision(proposal, made_now=True, session=accepted)


def reject_proposal(
    session: Session, conference: Conference, event: Event, proposal: Proposal, *, by: str
) -> Decision:
    if not _decide(session, proposal, ProposalStatus.REJECTED, by):
        return Decision(proposal, made_now=False)
    proposal_emails.tell_rejected(session, conference, event, proposal)
    return Decision(proposal, made_now=True)


def session_of_proposal(session: Session, proposal: Proposal) -> ConferenceSession | None:
    statement = select(ConferenceSession).where(ConferenceSession.proposal_id == proposal.id)
    return session.exec(statement).first()


def _decide(session: Session, proposal: Proposal, status: str, by: str) -> bool:
    """True when this call made the decision. Only an undecided proposal changes, in one
    UPDATE, so two organisers pressing at once make one decision and one email."""
    changed = session.exec(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.SUBMITTED)
        .values(status=status, decided_at=utcnow(), decided_by=by, updated_at=utcnow())
    ).rowcount
    session.refresh(proposal)
    if changed:
        return True
    if proposal.status == status:
        return False
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise DecisionError("The speaker withdrew this proposal, so it cannot be decided.")
    raise DecisionError(
        f"This proposal was already {proposal.status} by {proposal.decided_by}; a decision, "
        "once emailed to the speakers, is not changed here."
    )


def _session_from(session: Session, conference: Conference, proposal: Proposal):
    accepted = ConferenceSession(
        conference_id=conference.id,
        guid=str(uuid.uuid4()),
        slug=_free_slug(session, ConferenceSession, conference, proposal.title),
        title=proposal.title,
        kind=proposal.format,
        abstract=proposal.abstract,
        track_id=proposal.track_id,
        duration_minutes=MINUTES_BY_FORMAT.get(proposal.format, 30),
        proposal_id=proposal.id,
    )
    session.add(accepted)
    session.flush()
    for position, person in enumerate(people_of(proposal)):
        speaker = _speaker_for(session, conference, person)
        session.add(
            SessionSpeaker(session_id=accepted.id, speaker_id=speaker.id, position=position)
        )
    touch_programme(conference)
    session.add(conference)
    session.flush()
    return accepted


def _speaker_for(session: Session, conference: Conference, person: CoSpeaker) -> Speaker:
    """The conference's speaker with this address, or a new one."""
    existing = session.exec(
        select(Speaker).where(
            Speaker.conference_id == conference.id,
            func.lower(Speaker.email) == person.email.lower(),
        )
    ).first()
    if existing is not None:
        return existing
    speaker = Speaker(
        conference_id=conference.id,
        guid=str(uuid.uuid4()),
        slug=_free_slug(session, Speaker, conference, person.name),
        name=person.name,
        biography=person.bio,
        email=person.email,
    )
    session.add(speaker)
    session.flush()
    return speaker


def _free_slug(session: Session, model, conference: Conference, text: str) -> str:
    """`text` as a slug no other row of the conference has: "keynote", "keynote-2"…"""
    base = slugify(text)
    statement = select(model.slug).where(
        model.conference_id == conference.id, model.slug.startswith(base)
    )
    taken = set(session.exec(statement))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
