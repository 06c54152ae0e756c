"""Rounds in the database: matched once, groups stored before any message is sent."""

from collections.abc import Collection
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
    recent = past_groups(session, before=round_date, last=avoid_rounds)
    history = recent_pairs_from(recent, avoid_rounds)
    topics = members_topics(session, people)
    result = match(
        [_person(m, topics[m.slack_id]) for m in people], history, seed=pairing_round.seed
    )
    _store_groups(session, pairing_round, result.groups, people)
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


def past_groups(
    session: Session, *, before: date, last: int | None = None
) -> list[list[list[str]]]:
    """Earlier rounds' groups as Slack ids, oldest first: every round, or only the `last`
    rounds that have groups (all that matching looks at)."""
    if last is None:
        return list(groups_by_round(session, before=before).values())
    round_ids = rounds_with_groups(session, before=before, count=last)
    if not round_ids:
        return []
    by_round = groups_by_round(session, round_ids=round_ids)
    return [by_round[round_id] for round_id in reversed(round_ids) if round_id in by_round]


def rounds_with_groups(session: Session, *, before: date, count: int) -> list[int]:
    """The ids of the latest `count` rounds before that date where someone was introduced
    (or is about to be), newest first."""
    if count <= 0:
        return []
    kept = select(PairingGroup.id).where(
        PairingGroup.round_id == PairingRound.id, PairingGroup.status != GroupStatus.FAILED
    )
    statement = (
        select(PairingRound.id)
        .where(PairingRound.round_date < before, kept.exists())
        .order_by(PairingRound.round_date.desc())
        .limit(count)
    )
    return list(session.exec(statement))


def groups_by_round(
    session: Session, *, before: date | None = None, round_ids: Collection[int] | None = None
) -> dict[int, list[list[str]]]:
    """Round id → its groups as Slack ids, oldest round first, for the rounds before that date
    or those ids; failed introductions left out, since those people never met."""
    statement = (
        select(PairingRound.id, PairingGroup.id, Member.slack_id)
        .join(PairingGroup, PairingGroup.round_id == PairingRound.id)
        .join(PairingGroupMember, PairingGroupMember.group_id == PairingGroup.id)
        .join(Member, Member.id == PairingGroupMember.member_id)
        .where(PairingGroup.status != GroupStatus.FAILED)
        .order_by(PairingRound.round_date, PairingGroup.id, Member.slack_id)
    )
    if before is not None:
        statement = statement.where(PairingRound.round_date < before)
    if round_ids is not None:
        statement = statement.where(PairingRound.id.in_(list(round_ids)))
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
    return members_topics(session, [member])[member.slack_id]


def members_topics(session: Session, members: list[Member]) -> dict[str, frozenset[str]]:
    """Profile interests, plus the tags of posts they saved and of answers they found helpful;
    a few queries for the whole community rather than a few per member."""
    wanted = {member.slack_id for member in members}
    topics = {m.slack_id: {interest.lower() for interest in m.interests} for m in members}
    saved = select(ContentItem.submitted_by, ContentItem.tags).where(
        ContentItem.submitted_by.like("slack:%")
    )
    for submitted_by, tags in session.exec(saved):
        if submitted_by[6:] in wanted:
            topics[submitted_by[6:]].update(tag.lower() for tag in tags or [])
    rated = _helpful_items(session, wanted)
    tags_by_item = _tags_of(session, {item for items in rated.values() for item in items})
    for slack_id, item_ids in rated.items():
        for item_id in item_ids:
            topics[slack_id].update(tags_by_item.get(item_id, ()))
    return {slack_id: frozenset(values) for slack_id, values in topics.items()}


def _helpful_items(session: Session, wanted: set[str]) -> dict[str, set[int]]:
    statement = select(AnswerFeedback.given_by, AnswerFeedback.doc_ids).where(
        AnswerFeedback.helpful.is_(True), AnswerFeedback.given_by.is_not(None)
    )
    rated: dict[str, set[int]] = {}
    for given_by, doc_ids in session.exec(statement):
        if given_by in wanted:
            rated.setdefault(given_by, set()).update(
                int(d[5:]) for d in doc_ids or [] if d.startswith("item:") and d[5:].isdigit()
            )
    return rated


def _tags_of(session: Session, item_ids: set[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    ordered = sorted(item_ids)
    for start in range(0, len(ordered), 500):  # keeps each IN list small on SQLite
        chunk = ordered[start : start + 500]
        statement = select(ContentItem.id, ContentItem.tags).where(ContentItem.id.in_(chunk))
        for item_id, item_tags in session.exec(statement):
            tags[item_id] = [tag.lower() for tag in item_tags or []]
    return tags


def _person(member: Member, interests: frozenset[str]) -> Person:
    return Person(
        id=member.slack_id,
        interests=interests,
        tz_offset=member.tz_offset,
        avoid=frozenset(member.avoid_slack_ids or []),
    )


def _store_groups(
    session: Session, pairing_round: PairingRound, groups: list[list[str]], people: list[Member]
) -> None:
    member_ids = {member.slack_id: member.id for member in people}
    for slack_ids in groups:
        group = PairingGroup(round_id=pairing_round.id, status=GroupStatus.PENDING)
        session.add(group)
        session.flush()
        session.add_all(
            PairingGroupMember(group_id=group.id, member_id=member_ids[slack_id])
            for slack_id in slack_ids
        )
    session.flush()


def _round_on(session: Session, round_date: date) -> PairingRound | None:
    return session.exec(select(PairingRound).where(PairingRound.round_date == round_date)).first()
