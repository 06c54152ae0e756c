"""Scores and comments on proposals. A reviewer sees the others' scores only once they have
scored the proposal themselves, so that nobody's score leans on anyone else's."""

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, select

from community.db import upsert_insert
from community.models import (
    Conference,
    Organiser,
    Proposal,
    ProposalReview,
    ProposalStatus,
    Track,
)
from community.models.types import utcnow

SCORES = range(1, 6)
SCORE_LABELS = {1: "1 — no", 2: "2 — weak", 3: "3 — maybe", 4: "4 — good", 5: "5 — must have"}


class ReviewError(ValueError):
    """The review cannot be saved; the message says why."""


@dataclass(frozen=True)
class OtherReview:
    reviewer: str  # the reviewer's name, or their email when they have none
    score: int
    comment: str


@dataclass(frozen=True)
class QueueRow:
    proposal: Proposal
    track: str | None
    my_score: int | None
    review_count: int
    others: list[OtherReview] | None  # None while hidden: I have not scored it yet
    average: float | None  # every score's, mine included; None while hidden

    @property
    def scored(self) -> bool:
        return self.my_score is not None


@dataclass(frozen=True)
class ReviewsSeen:
    mine: ProposalReview | None
    others: list[OtherReview] | None  # None until I have scored
    count: int


def review_queue(session: Session, conference: Conference, reviewer: Organiser) -> list[QueueRow]:
    """Every proposal but withdrawn ones, the undecided first, oldest first."""
    statement = (
        select(Proposal)
        .where(
            Proposal.conference_id == conference.id,
            Proposal.status != ProposalStatus.WITHDRAWN,
        )
        .order_by(Proposal.status != ProposalStatus.SUBMITTED, Proposal.submitted_at, Proposal.id)
    )
    proposals = list(session.exec(statement))
    reviews = _reviews_by_proposal(session, [proposal.id for proposal in proposals])
    tracks = _track_names(session, conference)
    return [
        _queue_row(proposal, tracks.get(proposal.track_id), reviews[proposal.id], reviewer)
        for proposal in proposals
    ]


def _queue_row(
    proposal: Proposal,
    track: str | None,
    reviews: list[tuple[ProposalReview, Organiser]],
    reviewer: Organiser,
) -> QueueRow:
    seen = _seen(reviews, reviewer)
    scores = [review.score for review, _ in reviews]
    average = sum(scores) / len(scores) if seen.others is not None else None
    return QueueRow(
        proposal=proposal,
        track=track,
        my_score=seen.mine.score if seen.mine else None,
        review_count=seen.count,
        others=seen.others,
        average=average,
    )


def reviews_seen(session: Session, proposal: Proposal, reviewer: Organiser) -> ReviewsSeen:
    return _seen(_reviews_by_proposal(session, [proposal.id])[proposal.id], reviewer)


def _seen(reviews: list[tuple[ProposalReview, Organiser]], reviewer: Organiser) -> ReviewsSeen:
    mine = next((review for review, author in reviews if author.id == reviewer.id), None)
    others = None
    if mine is not None:
        others = [
            OtherReview(author.name or author.email, review.score, review.comment)
            for review, author in reviews
            if author.id != reviewer.id
        ]
    return ReviewsSeen(mine=mine, others=others, count=len(reviews))


def save_review(
    session: Session, proposal: Proposal, reviewer: Organiser, *, score: int, comment: str
) -> ProposalReview:
    """Creates the reviewer's review of the proposal, or changes it. One statement does
    either, so the same form sent twice at once (two tabs, a double click) saves one review."""
    if score not in SCORES:
        raise ReviewError("A score is a whole number from 1 to 5.")
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ReviewError(f"This proposal is {proposal.status}: its reviews are closed.")
    table, now = ProposalReview.__table__, utcnow()
    statement = upsert_insert(session)(table).values(
        proposal_id=proposal.id,
        organiser_id=reviewer.id,
        score=score,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.proposal_id, table.c.organiser_id],
        set_={"score": score, "comment": comment, "updated_at": now},
    ).returning(table.c.id)
    review_id = session.execute(statement).scalar_one()
    # populate_existing: the identity map may hold the row as it was before the statement
    return session.get(ProposalReview, review_id, populate_existing=True)


def _reviews_by_proposal(
    session: Session, proposal_ids: list[int]
) -> dict[int, list[tuple[ProposalReview, Organiser]]]:
    found: dict[int, list[tuple[ProposalReview, Organiser]]] = defaultdict(list)
    if not proposal_ids:
        return found
    statement = (
        select(ProposalReview, Organiser)
        .join(Organiser, Organiser.id == ProposalReview.organiser_id)
        .where(ProposalReview.proposal_id.in_(proposal_ids))
        .order_by(ProposalReview.created_at, ProposalReview.id)
    )
    for review, author in session.exec(statement):
        found[review.proposal_id].append((review, author))
    return found


def _track_names(session: Session, conference: Conference) -> dict[int, str]:
    statement = select(Track.id, Track.name).where(Track.conference_id == conference.id)
    return dict(session.exec(statement).all())
