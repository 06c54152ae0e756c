"""Pairing in Slack: `/coffee`, the pairing channel's joins and leaves, status, check-ins."""

from typing import TYPE_CHECKING

from community.config import settings
from community.db import session_scope
from community.members import pairing_choices
from community.members.profiles import remember_member
from community.pairing import membership
from community.pairing.rounds import record_outcome
from community.slackbot.coffee_command import apply_coffee
from community.slackbot.listeners.home import follow_in_channel
from community.slackbot.receipts import first_delivery
from community.timezones import community_today
from integrations.slack.pairing_blocks import OUTCOME_ACTIONS
from integrations.slack.text import escape
from integrations.slack.users import fetch_profile, profile_from_user

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.command("/coffee")(coffee)
    bolt.event("member_joined_channel")(joined)
    bolt.event("member_left_channel")(left)
    bolt.event("user_change")(user_changed)
    for action_id in OUTCOME_ACTIONS:
        bolt.action(action_id)(checkin_answered)


def coffee(ack, command, client, respond):
    ack()
    user_id = command.get("user_id", "")
    profile = fetch_profile(client, user_id)
    with session_scope() as session:
        member = remember_member(session, user_id, profile)
        try:
            reply, change = apply_coffee(member, command.get("text", ""), community_today())
        except pairing_choices.PairingChoiceError as error:
            reply, change = str(error), None
    channel = settings().PAIRING_CHANNEL
    if change and channel:
        reply = follow_in_channel(client, channel, user_id, change) or reply
    respond(response_type="ephemeral", text=escape(reply))


def joined(body, event, client):
    if _in_pairing_channel(event) and first_delivery(body):
        user_id = event["user"]
        profile = fetch_profile(client, user_id)
        with session_scope() as session:
            membership.member_joined(session, user_id, profile)


def left(body, event):
    if _in_pairing_channel(event) and first_delivery(body):
        with session_scope() as session:
            membership.member_left(session, event["user"])


def user_changed(event):
    user = event.get("user") or {}
    if user.get("id"):
        with session_scope() as session:
            remember_member(session, user["id"], profile_from_user(user))


def checkin_answered(ack, body, action, respond):
    ack()
    label, outcome = OUTCOME_ACTIONS[action["action_id"]]
    try:
        group_id = int(action.get("value", ""))
    except ValueError:
        return
    user_id = body["user"]["id"]
    with session_scope() as session:
        recorded = record_outcome(session, group_id, user_id, outcome) is not None
    if recorded:
        respond(replace_original=True, text=f"<@{user_id}> answered: {label}. Thank you!")
    else:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text="Only the people introduced in this group can answer.",
        )


def _in_pairing_channel(event: dict) -> bool:
    channel = settings().PAIRING_CHANNEL
    return bool(channel) and event.get("channel") == channel
