"""Scheduled pairing work: the reminder, the round, the summary, the check-ins, the sync.

One job every quarter hour looks at the clock and does what is due, so a scheduler
that was down at the hour catches up on its next run instead of skipping a round.
"""

import logging

from sqlmodel import select

from community.config import settings
from community.db import session_scope
from community.models import PairingRound
from community.models.pairing import RoundStatus
from community.models.types import utcnow
from community.pairing import messaging, schedule
from community.pairing.membership import participants, sync_channel_members
from community.pairing.rounds import create_round
from community.throttle import Throttle
from integrations.slack.client import slack_client
from integrations.slack.users import fetch_profile

log = logging.getLogger("community.pairing")


def run_pairing() -> None:
    config, client = settings(), slack_client()
    if not (config.PAIRING_CHANNEL and client):
        return
    now = utcnow()
    with session_scope() as session:
        _remind(session, config, now)
        for round_date in schedule.due_round_days(config, now):
            _run_round(session, round_date)
        _finish_rounds(session)
        queued = messaging.queue_checkins(session)
    if queued:
        log.info("queued %d pairing check-ins", queued)


def _remind(session, config, now) -> None:
    round_date = schedule.reminder_due(config, now)
    if round_date is None:
        return
    pairing_round = session.exec(
        select(PairingRound).where(PairingRound.round_date == round_date)
    ).first()
    if pairing_round is not None:
        return
    pairing_round = PairingRound(round_date=round_date, status=RoundStatus.PLANNED)
    messaging.queue_reminder(session, len(participants(session, round_date)))
    pairing_round.reminder_sent_at = utcnow()
    session.add(pairing_round)
    session.flush()


def _run_round(session, round_date) -> None:
    avoid_rounds = settings().PAIRING_AVOID_ROUNDS
    plan = create_round(session, round_date, avoid_rounds=avoid_rounds)
    session.commit()  # checkpoint: the groups are stored before anyone is introduced
    if plan.created:
        log.info("pairing round %s matched", round_date)


def _finish_rounds(session) -> None:
    """Introductions still pending, then the summary, queued in the outbox."""
    unfinished = session.exec(
        select(PairingRound).where(
            PairingRound.status.in_((RoundStatus.MATCHED, RoundStatus.INTRODUCED))
        )
    ).all()
    for pairing_round in unfinished:
        if pairing_round.status == RoundStatus.MATCHED:
            messaging.introduce_pending(session, pairing_round)
        if (
            pairing_round.status == RoundStatus.INTRODUCED
            and pairing_round.summary_posted_at is None
        ):
            messaging.queue_summary(session, pairing_round)
            pairing_round.status = RoundStatus.DONE


def sync_pairing_channel() -> None:
    """Catches up on joins and leaves missed while the service was down."""
    channel, client = settings().PAIRING_CHANNEL, slack_client()
    if not (channel and client):
        return
    members, cursor = [], None
    while True:
        page = client.conversations_members(channel=channel, cursor=cursor, limit=1000)
        members += page["members"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    throttle = Throttle(settings().SLACK_MESSAGES_PER_SECOND * 2)

    def profile_for(slack_id: str):
        throttle.wait()
        return fetch_profile(client, slack_id)

    with session_scope() as session:
        joined, left = sync_channel_members(session, members, profile_for)
    log.info("pairing channel: %d joined, %d left since the last sync", joined, left)
