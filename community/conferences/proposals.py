"""The call for proposals: when it is open, and a speaker's proposal from its submission
until the call closes (edits, withdrawal)."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from community.models import Conference, Event, Proposal, ProposalStatus, SessionKind, Track
from community.models.types import utcnow

PROPOSAL_FORMATS = (SessionKind.TALK, SessionKind.WORKSHOP, SessionKind.PANEL, SessionKind.KEYNOTE)


NOT_OPEN = "The call for proposals is not open, so nothing was submitted."


class ProposalError(ValueError):
    """The proposal cannot be taken or changed now; the message says why."""


class CfpState(StrEnum):
    NONE = "none"  # the conference has no call for proposals
    NOT_YET = "not-yet"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class CfpWindow:
    state: CfpState
    opens_at: datetime | None
    closes_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state == CfpState.OPEN


@dataclass(frozen=True)
class CoSpeaker:
    name: str
    email: str
    bio: str = ""

    def as_stored(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "bio": self.bio}


@dataclass(frozen=True)
class ProposalInput:
    title: str
    abstract: str
    format: str
    track_id: int | None
    speaker_name: str
    speaker_email: str
    speaker_bio: str = ""
    co_speakers: tuple[CoSpeaker, ...] = field(default_factory=tuple)


def cfp_window(conference: Conference, event: Event, now: datetime | None = None) -> CfpWindow:
    """Open from `cfp_opens_at` until `cfp_closes_at`, or until the event starts when no
    closing time is set."""
    now = now or utcnow()
    closes_at = conference.cfp_closes_at or event.starts_at
    opens_at = conference.cfp_opens_at
    if opens_at is None:
        state = CfpState.NONE
    elif now < opens_at:
        state = CfpState.NOT_YET
    elif now >= closes_at:
        state = CfpState.CLOSED
    else:
        state = CfpState.OPEN
    return CfpWindow(state, opens_at, closes_at)


def can_edit(conference: Conference, event: Event, proposal: Proposal) -> bool:
    """A speaker may change or withdraw a proposal while the call is open and it is undecided."""
    return proposal.status == ProposalStatus.SUBMITTED and cfp_window(conference, event).is_open


def submit_proposal(
    session: Session, conference: Conference, event: Event, data: ProposalInput
) -> Proposal:
    if not cfp_window(conference, event).is_open:
        raise ProposalError(NOT_OPEN)
    proposal = Proposal(conference_id=conference.id, title="", abstract="", speaker_name="")
    _fill(session, conference, proposal, data)
    session.add(proposal)
    session.flush()
    return proposal


def update_proposal(
    session: Session, conference: Conference, event: Event, proposal: Proposal, data: ProposalInput
) -> None:
    _refuse_unless_editable(conference, event, proposal, "changed")
    _fill(session, conference, proposal, data)
    proposal.updated_at = utcnow()


def withdraw_proposal(
    session: Session, conference: Conference, event: Event, proposal: Proposal
) -> None:
    _refuse_unless_editable(conference, event, proposal, "withdrawn")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.updated_at = utcnow()
    session.add(proposal)


def _refuse_unless_editable(
    conference: Conference, event: Event, proposal: Proposal, what: str
) -> None:
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ProposalError(f"This proposal is {proposal.status}, so it can no longer be {what}.")
    if not cfp_window(conference, event).is_open:
        raise ProposalError(
            f"The call for proposals has closed, so the proposal can no longer be {what}."
        )


def _fill(session: Session, conference: Conference, proposal: Proposal, data: ProposalInput):
    if data.format not in PROPOSAL_FORMATS:
        raise ProposalError(f"“{data.format}” is not a format this call takes.")
    proposal.title = data.title
    proposal.abstract = data.abstract
    proposal.format = data.format
    proposal.track_id = _own_track(session, conference, data.track_id)
    proposal.speaker_name = data.speaker_name
    proposal.speaker_email = data.speaker_email
    proposal.speaker_bio = data.speaker_bio
    proposal.co_speakers = [person.as_stored() for person in data.co_speakers]


def _own_track(session: Session, conference: Conference, track_id: int | None) -> int | None:
    if track_id is None:
        return None
    track = session.get(Track, track_id)
    if track is None or track.conference_id != conference.id:
        raise ProposalError("That track is not one of this conference's; pick one from the list.")
    return track.id


def people_of(proposal: Proposal) -> list[CoSpeaker]:
    """The speaker and every co-speaker, each address once, in the order they were named."""
    people = [CoSpeaker(proposal.speaker_name, proposal.speaker_email, proposal.speaker_bio)]
    people += [
        CoSpeaker(person.get("name", ""), person.get("email", ""), person.get("bio", ""))
        for person in proposal.co_speakers
    ]
    seen, unique = set(), []
    for person in people:
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            unique.append(person)
    return unique
