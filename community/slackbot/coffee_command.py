"""`/coffee`: reading what a member typed and applying it to their pairing choices."""

import re
from datetime import date, timedelta

from community.members import pairing_choices

MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
RELATIVE = re.compile(r"^(\d{1,3})\s*([dw])$")
HELP = (
    "`/coffee` shows your status. `/coffee join` · `/coffee leave` · `/coffee skip` (the next "
    "round) · `/coffee unskip` · `/coffee snooze 2026-12-31` or `snooze 3w` · `/coffee unsnooze` · "
    "`/coffee interests mlops, llm, feature stores` · `/coffee avoid @someone` · "
    "`/coffee unavoid @someone`"
)


def apply_coffee(member, text: str, today: date) -> tuple[str, str | None]:
    """What `/coffee TEXT` does to a member: (reply, channel change or None).

    The change is "pairing_join" or "pairing_leave": taking part in pairing is
    membership of the pairing channel, which the listener then updates.
    """
    verb, _, rest = text.strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    match verb:
        case "" | "status":
            return _status(member, today), None
        case "join":
            pairing_choices.join_pairing(member)
            return "You are in: you will be introduced in the next round.", "pairing_join"
        case "leave":
            pairing_choices.leave_pairing(member)
            return "You left pairing. `/coffee join` brings you back.", "pairing_leave"
        case "skip" | "unskip":
            pairing_choices.skip_next_round(member, verb == "skip")
            skipping = "You will skip the next round."
            return (skipping if verb == "skip" else "You are back in the next round."), None
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
