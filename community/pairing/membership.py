"""Who takes part: the members of the pairing channel, minus those who skip, snooze or are away."""

import re
from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session, select

from community.members.profiles import remember_member
from community.models import Member
from community.models.types import utcnow
from integrations.slack.users import SlackProfile

AWAY_EMOJI = {
    ":palm_tree:",
    ":beach_with_umbrella:",
    ":desert_island:",
    ":airplane:",
    ":face_with_thermometer:",
}
AWAY_WORDS = ("vacation", "holiday", "holidays", "ooo", "pto", "sick", "vacationing")
AWAY_PHRASES = ("out of office", "on leave", "parental leave", "off until")


def sync_channel_members(
    session: Session, slack_ids: list[str], profile_for: Callable[[str], SlackProfile | None]
) -> tuple[int, int]:
    """Make opt-in mirror the channel's member list; returns (joined, left).

    People never seen before are looked up (name, time zone, status, whether a bot), as
    matching and introductions need to know them.
    """
    in_channel = set(slack_ids)
    known = {member.slack_id: member for member in session.exec(select(Member))}
    joined = left = 0
    for slack_id in sorted(in_channel):
        member = known.get(slack_id) or remember_member(session, slack_id, profile_for(slack_id))
        if not member.pairing_opt_in:
            member.pairing_opt_in, joined = True, joined + 1
    opted_in = session.exec(select(Member).where(Member.pairing_opt_in.is_(True))).all()
    for member in opted_in:
        if member.slack_id not in in_channel:
            member.pairing_opt_in, left = False, left + 1
    session.flush()
    return joined, left


def member_joined(session: Session, slack_id: str, profile: SlackProfile | None = None) -> None:
    remember_member(session, slack_id, profile).pairing_opt_in = True


def member_left(session: Session, slack_id: str) -> None:
    remember_member(session, slack_id, None).pairing_opt_in = False


def is_away(member: Member, now: datetime | None = None) -> bool:
    """A Slack status saying they are on holiday, unless it has already expired."""
    now = now or utcnow()
    if member.status_expires_at and member.status_expires_at <= now:
        return False
    text = member.status_text.lower()
    words = set(re.findall(r"[a-z]+", text))
    return (
        member.status_emoji in AWAY_EMOJI
        or bool(words & set(AWAY_WORDS))
        or any(phrase in text for phrase in AWAY_PHRASES)
    )


def participants(session: Session, round_date: date) -> list[Member]:
    """Opted in, not skipping this round, not snoozed past it, not away, not a bot."""
    statement = select(Member).where(
        Member.pairing_opt_in.is_(True),
        Member.deleted.is_(False),
        Member.is_bot.is_(False),
        Member.pairing_skip_next.is_(False),
    )
    return [
        member
        for member in session.exec(statement.order_by(Member.slack_id))
        if not (member.pairing_snoozed_until and member.pairing_snoozed_until >= round_date)
        and not is_away(member)
    ]
