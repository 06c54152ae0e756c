"""Pairing from Slack: `/coffee`, channel joins and leaves, status changes, check-in answers."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from community.db import session_scope
from community.members import pairing_choices
from community.members.profiles import remember_member
from community.models.types import utcnow
from community.pairing import membership
from community.pairing.rounds import record_outcome
from integrations.slack.users import SlackProfile

MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
RELATIVE = re.compile(r"^(\d{1,3})\s*([dw])$")
HELP = (
    "`/coffee` shows your status. `/coffee join` · `/coffee leave` · `/coffee skip` (the next "
    "round) · `/coffee unskip` · `/coffee snooze 2026-12-31` or `snooze 3w` · `/coffee unsnooze` · "
    "`/coffee interests mlops, llm, feature stores` · `/coffee avoid @someone` · "
    "`/coffee unavoid @someone`"
)


class PairingService:
    def __init__(self, app: Flask):
        self.app = app

    def coffee(
        self, slack_id: str, profile: SlackProfile | None, text: str
    ) -> tuple[str, str | None]:
        """(reply, channel change: "pairing_join", "pairing_leave" or None)."""
        verb, _, rest = text.strip().partition(" ")
        with self.app.app_context(), session_scope() as session:
            member = remember_member(session, slack_id, profile)
            try:
                reply, change = self._apply(member, verb.lower(), rest.strip())
            except pairing_choices.PairingChoiceError as error:
                return str(error), None
            return reply, change

    def _apply(self, member, verb: str, rest: str) -> tuple[str, str | None]:
        today = utcnow().astimezone(ZoneInfo(self.app.config["COMMUNITY_TIMEZONE"])).date()
        match verb:
            case "" | "status":
                return _status(member, today), None
            case "join":
                pairing_choices.join_pairing(member)
                return "You are in: you will be introduced in the next round.", "pairing_join"
            case "leave":
                pairing_choices.leave_pairing(member)
                return (
                    "You left pairing. `/coffee join` brings you back.",
                    "pairing_leave",
                )
            case "skip" | "unskip":
                pairing_choices.skip_next_round(member, verb == "skip")
                return (
                    "You will skip the next round."
                    if verb == "skip"
                    else "You are back in the next round."
                ), None
            case "snooze":
                until = _snooze_date(rest, today)
                pairing_choices.snooze_pairing(member, until, today)
                return f"Snoozed until {until:%d %b %Y}.", None
            case "unsnooze":
                pairing_choices.snooze_pairing(member, None, today)
                return "Snooze ended: you are back in the next round.", None
            case "interests":
                member.interests = _interests(rest)
                return f"Your interests: {', '.join(member.interests) or 'none'}.", None
            case "avoid" | "unavoid":
                return _avoid(member, rest, verb == "avoid"), None
        return HELP, None

    def channel_changed(self, slack_id: str, joined: bool, profile=None) -> None:
        with self.app.app_context(), session_scope() as session:
            if joined:
                membership.member_joined(session, slack_id, profile)
            else:
                membership.member_left(session, slack_id)

    def profile_changed(self, slack_id: str, profile: SlackProfile) -> None:
        with self.app.app_context(), session_scope() as session:
            remember_member(session, slack_id, profile)

    def outcome(self, group_id: int, slack_id: str, outcome: str) -> bool:
        with self.app.app_context(), session_scope() as session:
            return record_outcome(session, group_id, slack_id, outcome) is not None


def _status(member, today: date) -> str:
    if not member.pairing_opt_in:
        return "You are not taking part in one-on-one pairing. `/coffee join` to start."
    if member.pairing_snoozed_until and member.pairing_snoozed_until >= today:
        return f"You are taking part, snoozed until {member.pairing_snoozed_until:%d %b %Y}."
    if member.pairing_skip_next:
        return "You are taking part and will skip the next round."
    interests = ", ".join(member.interests) or "none yet (`/coffee interests ...`)"
    return f"You are taking part in the next round. Your interests: {interests}."


def _snooze_date(text: str, today: date) -> date:
    relative = RELATIVE.match(text.lower())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return today + timedelta(days=amount * (7 if unit == "w" else 1))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise pairing_choices.PairingChoiceError(
            "Snooze until a date like 2026-12-31, or for `2w` or `10d`."
        ) from None


def _interests(text: str) -> list[str]:
    topics = []
    for topic in text.split(","):
        topic = " ".join(topic.split()).lower()[:50]
        if topic and topic not in topics:
            topics.append(topic)
    return topics[:20]


def _avoid(member, text: str, avoid: bool) -> str:
    others = MENTION.findall(text)
    if not others:
        raise pairing_choices.PairingChoiceError(
            "Mention the person, for example `/coffee avoid @someone`."
        )
    current = list(member.avoid_slack_ids or [])
    if avoid:
        current += [other for other in others if other not in current and other != member.slack_id]
    else:
        current = [other for other in current if other not in others]
    member.avoid_slack_ids = current
    return (
        "Noted. You will not be paired with them."
        if avoid
        else "Noted. They can be paired with you again."
    )
