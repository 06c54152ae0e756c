"""The round in Slack: the reminder, the introductions, the summary and the check-ins.

Every group is stored before any message goes out and is marked as soon as its
introduction is posted, so a crash or a restart resumes with the groups not yet
introduced. Messages are spaced out to stay under Slack's rate limits; a 429 is
retried after its Retry-After by the Web API client.
"""

import logging
from datetime import timedelta

from flask import current_app
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, select

from community.config import settings
from community.models import PairingGroup, PairingRound
from community.models.pairing import GroupStatus, RoundStatus
from community.models.types import utcnow
from community.pairing.introductions import (
    Introducee,
    StartingPoint,
    introduction_text,
    shared_topics,
)
from community.pairing.rounds import group_members, groups_with_status, members_topics
from community.throttle import Throttle
from integrations.slack.client import slack_unavailable
from integrations.slack.pairing_blocks import checkin_blocks
from search_index import SearchQuery

log = logging.getLogger("community.pairing")
CHECKIN_REMINDER_AFTER = timedelta(days=2)


def post_reminder(session: Session, client, pairing_round_date, participants: int) -> None:
    channel = settings().PAIRING_CHANNEL
    client.chat_postMessage(
        channel=channel,
        text=(
            f"Tomorrow's one-on-one round will introduce {participants} members. "
            "Busy? Type `/coffee skip` to sit this one out, or `/coffee snooze YYYY-MM-DD`."
        ),
    )


def introduce_pending(session: Session, client, pairing_round: PairingRound) -> int:
    """Introduces every group still pending; committed group by group. Returns how many."""
    throttle = Throttle(settings().PAIRING_MESSAGES_PER_SECOND)
    introduced = 0
    for group in groups_with_status(session, pairing_round.id, GroupStatus.PENDING):
        throttle.wait()
        try:
            _introduce(session, client, group)
        except SlackApiError as error:
            if slack_unavailable(error):  # try again on the next run, from this group on
                log.warning("Slack unavailable during introductions, will resume: %s", error)
                session.rollback()
                return introduced
            log.warning("introduction of group %s failed: %s", group.id, error)
            group.status = GroupStatus.FAILED
        session.commit()
        introduced += group.status == GroupStatus.INTRODUCED
    if not groups_with_status(session, pairing_round.id, GroupStatus.PENDING):
        pairing_round.status = RoundStatus.INTRODUCED
        session.commit()
    return introduced


def _introduce(session: Session, client, group: PairingGroup) -> None:
    members = group_members(session, group.id)
    topics = members_topics(session, members)
    people = [Introducee(m.slack_id, m.name, m.tz_offset, topics[m.slack_id]) for m in members]
    if group.conversation_id is None:
        opened = client.conversations_open(users=",".join(p.slack_id for p in people))
        group.conversation_id = opened["channel"]["id"]
        session.commit()  # the conversation is remembered even if posting fails below
    client.chat_postMessage(
        channel=group.conversation_id, text=introduction_text(people, _starting_point(people))
    )
    group.status, group.introduced_at = GroupStatus.INTRODUCED, utcnow()


def _starting_point(people: list[Introducee]) -> StartingPoint | None:
    topics = shared_topics(people) or sorted(frozenset.union(*(p.interests for p in people)))[:3]
    if not topics:
        return None
    index = current_app.extensions["search_index"]
    hits = index.search(SearchQuery(text=" ".join(topics), kinds=["post", "episode"], limit=1)).hits
    return StartingPoint(hits[0].title, hits[0].url) if hits else None


def post_summary(session: Session, client, pairing_round: PairingRound) -> None:
    groups = session.exec(
        select(PairingGroup).where(PairingGroup.round_id == pairing_round.id)
    ).all()
    introduced = [g for g in groups if g.status == GroupStatus.INTRODUCED]
    people = sum(len(group_members(session, g.id)) for g in introduced)
    client.chat_postMessage(
        channel=settings().PAIRING_CHANNEL,
        text=(
            f"This round introduced {people} members in {len(introduced)} groups. "
            "Enjoy the conversations! :coffee:"
        ),
    )
    pairing_round.summary_posted_at = utcnow()
    session.commit()


def send_checkins(session: Session, client) -> int:
    """Asks each group some days after its introduction, and once more if nobody answered."""
    now, sent = utcnow(), 0
    after = timedelta(days=settings().PAIRING_CHECKIN_DAYS)
    throttle = Throttle(settings().PAIRING_MESSAGES_PER_SECOND)
    statement = select(PairingGroup).where(
        PairingGroup.status == GroupStatus.INTRODUCED,
        PairingGroup.outcome.is_(None),
        PairingGroup.introduced_at <= now - after,
        PairingGroup.checkin_reminded_at.is_(None),
    )
    for group in session.exec(statement).all():
        if group.checkin_sent_at and group.checkin_sent_at > now - CHECKIN_REMINDER_AFTER:
            continue
        throttle.wait()
        first_time = group.checkin_sent_at is None
        try:
            client.chat_postMessage(
                channel=group.conversation_id,
                text=_checkin_text(first_time),
                blocks=checkin_blocks(group.id, _checkin_text(first_time)),
            )
        except SlackApiError as error:
            log.warning("check-in for group %s failed: %s", group.id, error)
            continue
        if first_time:
            group.checkin_sent_at = now
        else:
            group.checkin_reminded_at = now
        session.commit()
        sent += 1
    return sent


def _checkin_text(first_time: bool) -> str:
    if first_time:
        return "How did your one-on-one go? One of you can answer for the group."
    return "A gentle nudge: did you manage to meet? One click is enough."
