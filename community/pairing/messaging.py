"""The round in Slack: the reminder, the introductions, the summary and the check-ins.

Every message is queued in the outbox in the job's own transaction: a group is marked
introduced in the same commit that queues its introduction, so a crash or a Slack
outage can neither lose an introduction nor send it twice. The outbox opens each
group DM, spaces the posts out (SLACK_MESSAGES_PER_SECOND) and retries after outages.
"""

from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from community.config import settings
from community.models import PairingGroup, PairingRound
from community.models.pairing import GroupStatus, RoundStatus
from community.models.types import utcnow
from community.outbox import queue_slack_message
from community.pairing.introductions import (
    Introducee,
    StartingPoint,
    introduction_text,
    shared_topics,
)
from community.pairing.rounds import group_members, groups_with_status, members_topics
from community.plurals import counted
from integrations.slack.pairing_blocks import checkin_blocks
from search_index import SearchQuery

CHECKIN_REMINDER_AFTER = timedelta(days=2)


def queue_reminder(session: Session, participants: int) -> bool:
    return queue_slack_message(
        session,
        channel=settings().PAIRING_CHANNEL,
        text=(
            f"Tomorrow's one-on-one round will introduce {counted(participants, 'member')}. "
            "Busy? Type `/coffee skip` to sit this one out, or `/coffee snooze YYYY-MM-DD`."
        ),
    )


def introduce_pending(session: Session, pairing_round: PairingRound) -> int:
    """Queues the introduction of every group still pending. Returns how many."""
    pending = groups_with_status(session, pairing_round.id, GroupStatus.PENDING)
    for group in pending:
        members = group_members(session, group.id)
        topics = members_topics(session, members)
        people = [Introducee(m.slack_id, m.name, m.tz_offset, topics[m.slack_id]) for m in members]
        queue_slack_message(
            session,
            open_with=[person.slack_id for person in people],
            text=introduction_text(people, _starting_point(people)),
        )
        group.status, group.introduced_at = GroupStatus.INTRODUCED, utcnow()
    pairing_round.status = RoundStatus.INTRODUCED
    return len(pending)


def _starting_point(people: list[Introducee]) -> StartingPoint | None:
    topics = shared_topics(people) or sorted(frozenset.union(*(p.interests for p in people)))[:3]
    if not topics:
        return None
    index = current_app.extensions["search_index"]
    hits = index.search(SearchQuery(text=" ".join(topics), kinds=["post", "episode"], limit=1)).hits
    return StartingPoint(hits[0].title, hits[0].url) if hits else None


def queue_summary(session: Session, pairing_round: PairingRound) -> None:
    groups = session.exec(
        select(PairingGroup).where(PairingGroup.round_id == pairing_round.id)
    ).all()
    introduced = [g for g in groups if g.status == GroupStatus.INTRODUCED]
    people = sum(len(group_members(session, g.id)) for g in introduced)
    queue_slack_message(
        session,
        channel=settings().PAIRING_CHANNEL,
        text=(
            f"This round introduced {counted(people, 'member')} in "
            f"{counted(len(introduced), 'group')}. "
            "Enjoy the conversations! :coffee:"
        ),
    )
    pairing_round.summary_posted_at = utcnow()


def queue_checkins(session: Session) -> int:
    """Asks each group some days after its introduction, and once more if nobody answered."""
    now, queued = utcnow(), 0
    after = timedelta(days=settings().PAIRING_CHECKIN_DAYS)
    statement = select(PairingGroup).where(
        PairingGroup.status == GroupStatus.INTRODUCED,
        PairingGroup.outcome.is_(None),
        PairingGroup.introduced_at <= now - after,
        PairingGroup.checkin_reminded_at.is_(None),
    )
    for group in session.exec(statement).all():
        if group.checkin_sent_at and group.checkin_sent_at > now - CHECKIN_REMINDER_AFTER:
            continue
        first_time = group.checkin_sent_at is None
        text = _checkin_text(first_time)
        people = [member.slack_id for member in group_members(session, group.id)]
        queue_slack_message(
            session,
            channel=group.conversation_id,
            open_with=people,
            text=text,
            blocks=checkin_blocks(group.id, text),
        )
        if first_time:
            group.checkin_sent_at = now
        else:
            group.checkin_reminded_at = now
        queued += 1
    return queued


def _checkin_text(first_time: bool) -> str:
    if first_time:
        return "How did your one-on-one go? One of you can answer for the group."
    return "A gentle nudge: did you manage to meet? One click is enough."
