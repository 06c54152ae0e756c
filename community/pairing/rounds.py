"""Rounds in the database: matched once, groups stored before any message is sent."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.models import (
    AnswerFeedback,
    ContentItem,
    Member,
    PairingGroup,
    PairingGroupMember,
    PairingRound,
)
from community.models.pairing import GroupOutcome, GroupStatus, RoundStatus
from community.pairing.matching import Person, match, recent_pairs_from
from community.pairing.membership import participants


@dataclass(frozen=True)
class RoundPlan:
    pairing_round: PairingRound
    created: bool


def create_round(
    session: Session, round_date: date, *, avoid_rounds: int, seed: int | None = None
) -> RoundPlan:
    """Matches the participants and stores the groups; a second call returns the same round."""
    pairing_round = _round_on(session, round_date)
    if pairing_round is not None and pairing_round.status != RoundStatus.PLANNED:
        return RoundPlan(pairing_round, created=False)
    if pairing_round is None:  # no reminder went out (e.g. the service was down then)
        pairing_round = PairingRound(round_date=round_date)
        try:
            with session.begin_nested():
                session.add(pairing_round)
        except IntegrityError:  # another process created it at the same moment
            return RoundPlan(_round_on(session, round_date), created=False)
    if not _claim(session, pairing_round):
        session.refresh(pairing_round)
        return RoundPlan(pairing_round, created=False)
    people = participants(session, round_date)
    pairing_round.seed = seed if seed is not None else round_date.toordinal()
    history = recent_pairs_from(past_groups(session, before=round_date), avoid_rounds)
    result = match([_person(session, m) for m in people], history, seed=pairing_round.seed)
    _store_groups(session, pairing_round, result.groups)
    skipped = session.exec(select(Member).where(Member.pairing_skip_next.is_(True))).all()
    for member in skipped:
        member.pairing_skip_next = False  # they sat this round out; the skip is used up
    session.flush()
    return RoundPlan(pairing_round, created=True)


def _claim(session: Session, pairing_round: PairingRound) -> bool:
    """PLANNED → MATCHED in one conditional update, so only one process matches a round."""
    claimed = session.execute(
        update(PairingRound)
        .where(PairingRound.id == pairing_round.id, PairingRound.status == RoundStatus.PLANNED)
        .values(status=RoundStatus.MATCHED)
    )
    session.flush()
    if claimed.rowcount == 1:
        pairing_round.status = RoundStatus.MATCHED
    return claimed.rowcount == 1


def past_groups(session: Session, *, before: date) -> list[list[list[str]]]:
    """Every earlier round's groups as Slack ids, oldest first."""
    return list(groups_by_round(session, before=before).values())


def groups_by_round(session: Session, *, before: date) -> dict[int, list[list[str]]]:
    """Round id → its groups as Slack ids, oldest round first; failed introductions left out,
    since those people never met."""
    statement = (
        select(PairingRound.id, PairingGroup.id, Member.slack_id)
        .join(PairingGroup, PairingGroup.round_id == PairingRound.id)
        .join(PairingGroupMember, PairingGroupMember.group_id == PairingGroup.id)
        .join(Member, Member.id == PairingGroupMember.member_id)
        .where(PairingRound.round_date < before, PairingGroup.status != GroupStatus.FAILED)
        .order_by(PairingRound.round_date, PairingGroup.id, Member.slack_id)
    )
    rounds: dict[int, dict[int, list[str]]] = {}
    for round_id, group_id, slack_id in session.exec(statement):
        rounds.setdefault(round_id, {}).setdefault(group_id, []).append(slack_id)
    return {round_id: list(groups.values()) for round_id, groups in rounds.items()}


def group_members(session: Session, group_id: int) -> list[Member]:
    statement = (
        select(Member)
        .join(PairingGroupMember, PairingGroupMember.member_id == Member.id)
        .where(PairingGroupMember.group_id == group_id)
        .order_by(Member.slack_id)
    )
    return list(session.exec(statement))


def groups_with_status(session: Session, round_id: int, status: str) -> list[PairingGroup]:
    statement = select(PairingGroup).where(
        PairingGroup.round_id == round_id, PairingGroup.status == status
    )
    return list(session.exec(statement.order_by(PairingGroup.id)))


def record_outcome(
    session: Session, group_id: int, slack_id: str, outcome: str
) -> PairingGroup | None:
    """A member's answer to the check-in; only members of the group may answer."""
    group = session.get(PairingGroup, group_id)
    if group is None or outcome not in set(GroupOutcome):
        return None
    if slack_id not in {member.slack_id for member in group_members(session, group_id)}:
        return None
    group.outcome = outcome
    session.flush()
    return group


def member_topics(session: Session, member: Member) -> frozenset[str]:
    """Profile interests, plus the tags of posts they saved and of answers they rated."""
    topics = {interest.lower() for interest in member.interests}
    saved = select(ContentItem.tags).where(ContentItem.submitted_by == f"slack:{member.slack_id}")
    for tags in session.exec(saved):
        topics.update(tag.lower() for tag in tags or [])
    item_ids = set()
    for doc_ids in session.exec(
        select(AnswerFeedback.doc_ids).where(
            AnswerFeedback.given_by == member.slack_id, AnswerFeedback.helpful.is_(True)
        )
    ):
        item_ids.update(
            int(d[5:]) for d in doc_ids or [] if d.startswith("item:") and d[5:].isdigit()
        )
    if item_ids:
        for tags in session.exec(select(ContentItem.tags).where(ContentItem.id.in_(item_ids))):
            topics.update(tag.lower() for tag in tags or [])
    return frozenset(topics)


def _person(session: Session, member: Member) -> Person:
    return Person(
        id=member.slack_id,
        interests=member_topics(session, member),
        tz_offset=member.tz_offset,
        avoid=frozenset(member.avoid_slack_ids or []),
    )


def _store_groups(session: Session, pairing_round: PairingRound, groups: list[list[str]]) -> None:
    by_slack_id = {
        m.slack_id: m.id
        for m in session.exec(
            select(Member).where(Member.slack_id.in_([s for g in groups for s in g]))
        )
    }
    for slack_ids in groups:
        group = PairingGroup(round_id=pairing_round.id, status=GroupStatus.PENDING)
        session.add(group)
        session.flush()
        for slack_id in slack_ids:
            session.add(PairingGroupMember(group_id=group.id, member_id=by_slack_id[slack_id]))
    session.flush()


def _round_on(session: Session, round_date: date) -> PairingRound | None:
    return session.exec(select(PairingRound).where(PairingRound.round_date == round_date)).first()
