"""`/agenda` and its buttons: a conference's sessions in Slack, starred from the message."""

from typing import TYPE_CHECKING

from community.db import session_scope
from community.members.profiles import remember_member
from community.models.types import utcnow
from community.slackbot.agenda_command import (
    AgendaReply,
    agenda_command,
    show_pressed,
    star_pressed,
)
from integrations.slack.agenda_blocks import SHOW, STAR, UNSTAR
from integrations.slack.text import escape
from integrations.slack.users import fetch_profile

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.command("/agenda")(agenda)
    bolt.action(STAR)(starred)
    bolt.action(UNSTAR)(unstarred)
    bolt.action(SHOW)(shown)


def agenda(ack, command, client, respond):
    ack()
    user_id = command.get("user_id", "")
    profile = fetch_profile(client, user_id)
    with session_scope() as session:
        member = remember_member(session, user_id, profile)
        reply = agenda_command(session, member, command.get("text", ""), utcnow())
    _send(respond, reply, response_type="ephemeral")


def starred(ack, body, action, client, respond):
    ack()
    _pressed(body, action, client, respond, starring=True)


def unstarred(ack, body, action, client, respond):
    ack()
    _pressed(body, action, client, respond, starring=False)


def shown(ack, body, action, client, respond):
    ack()
    _pressed(body, action, client, respond, starring=None)


def _pressed(body, action, client, respond, *, starring: bool | None) -> None:
    """One unit applies the press and reads the redrawn agenda; the reply comes after it."""
    user_id = body["user"]["id"]
    profile = fetch_profile(client, user_id)
    value = action.get("value", "")
    with session_scope() as session:
        member = remember_member(session, user_id, profile)
        if starring is None:
            reply = show_pressed(session, member, value, utcnow())
        else:
            reply = star_pressed(session, member, value, utcnow(), starring=starring)
    _send(respond, reply, replace_original=True)


def _send(respond, reply: AgendaReply, **options) -> None:
    respond(text=escape(reply.text), blocks=reply.blocks, **options)
