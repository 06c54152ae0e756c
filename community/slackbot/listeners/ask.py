"""Asking the knowledge base: /ask, a mention, a direct message, or a help channel.

The bot speaks where it is asked: when mentioned, in direct messages and through /ask.
In the help channels (SLACK_HELP_CHANNELS) it also answers a person's new question in
its thread, but only when it is confident; items that only might help are shown to the
asker alone, and nothing is posted when nothing fits. A follow-up in a thread is
answered with the thread's earlier messages as context.

Slack wants an acknowledgement within 3 seconds, so the search and the reply happen
after it: listeners run on Bolt's worker threads, and Bolt answers Slack's request as soon
as `ack()` is called (event listeners are acknowledged before they start).
"""

import logging
import re
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from community.answers import service as answers
from community.answers.service import Answer, Decision
from community.config import settings
from community.db import session_scope
from community.slackbot.receipts import first_delivery
from integrations.slack.blocks import answer_blocks, answer_fallback_text
from integrations.slack.threads import thread_messages

if TYPE_CHECKING:
    from slack_bolt import App

MENTION = re.compile(r"<@[A-Z0-9]+>")
CONTEXT_MESSAGES = 3  # of a thread's earlier messages, a follow-up is read with these
CONTEXT_CHARACTERS = 1000
log = logging.getLogger("community.slack")


def register(bolt: "App") -> None:
    bolt.command("/ask")(answer_command)
    bolt.action("share_answer")(share_answer)
    bolt.event("app_mention")(answer_mention)
    bolt.event("message")(answer_message)


def answer_command(ack, command, respond):
    # Acknowledged first: Bolt returns the acknowledgement to Slack while this goes on.
    question = command.get("text", "").strip()
    if not question:
        ack("Ask a question after the command, for example `/ask how do I detect drift?`")
        return
    ack("Looking that up…")
    reply = ask(question, command.get("user_id"))
    respond(
        response_type="ephemeral",
        text=answer_fallback_text(reply),
        blocks=answer_blocks(reply, shareable=reply.found),
    )


def share_answer(ack, body, action, say):
    ack()
    reply = ask(action["value"], body["user"]["id"])
    say(text=answer_fallback_text(reply), blocks=answer_blocks(reply))


def answer_mention(body, event, say, client):
    if first_delivery(body):
        _answer_in_thread(event, say, client)


def answer_message(body, event, say, client, context):
    """A direct message, or a new question in a help channel; nothing else is answered."""
    if not _from_a_person(event):
        return
    if event.get("channel_type") == "im":
        if first_delivery(body):
            _answer_in_thread(event, say, client)
    elif _new_help_question(event, context.get("bot_user_id")) and first_delivery(body):
        _offer_in_help_channel(event, say, client)


def ask(question: str, slack_user_id: str | None, context: str = "") -> Answer:
    """The same answer the web page and `flask ask` give, recorded as asked in Slack."""
    with session_scope() as session:
        return answers.ask(
            session, question, asked_via="slack", asked_by=slack_user_id, context=context
        )


def _from_a_person(event: dict) -> bool:
    return not (event.get("bot_id") or event.get("subtype"))


def _new_help_question(event: dict, bot_user_id: str | None) -> bool:
    """A top-level message in a help channel; one that mentions the bot is its mention's."""
    top_level = event.get("thread_ts") in (None, event.get("ts"))
    mentioned = bool(bot_user_id) and f"<@{bot_user_id}>" in event.get("text", "")
    in_help_channel = event.get("channel") in settings().SLACK_HELP_CHANNELS
    return in_help_channel and top_level and not mentioned


def _answer_in_thread(event: dict, say, client) -> None:
    question = _question_of(event)
    if not question:
        return
    reply = ask(question, event.get("user"), _thread_context(event, client))
    thread_ts = event.get("thread_ts") or event.get("ts")
    say(
        text=answer_fallback_text(reply),
        blocks=answer_blocks(reply, thread=(event["channel"], thread_ts)),
        thread_ts=thread_ts,
    )


def _offer_in_help_channel(event: dict, say, client) -> None:
    question = _question_of(event)
    if not question:
        return
    reply = ask(question, event.get("user"))
    text = answer_fallback_text(reply)
    blocks = answer_blocks(reply, thread=(event["channel"], event["ts"]))
    if reply.decision == Decision.ANSWER:
        say(text=text, blocks=blocks, thread_ts=event["ts"])
    elif reply.decision == Decision.MIGHT_HELP:  # a guess is the asker's to see, not the channel's
        client.chat_postEphemeral(
            channel=event["channel"],
            user=event["user"],
            text=text,
            blocks=blocks,
            thread_ts=event["ts"],
        )


def _question_of(event: dict) -> str:
    return MENTION.sub("", event.get("text", "")).strip()


def _thread_context(event: dict, client) -> str:
    """What people said earlier in the thread of a follow-up; empty for a new message."""
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return ""
    try:
        messages = thread_messages(client, event["channel"], thread_ts)
    except SlackApiError as error:  # the follow-up is still answered, on its own words
        log.warning("could not read thread %s for context: %s", thread_ts, error)
        return ""
    earlier = [
        _question_of(message)
        for message in messages
        if _from_a_person(message) and float(message["ts"]) < float(event["ts"])
    ]
    # The first message states the problem; the latest ones what the follow-up refers to.
    chosen = earlier[:1] + earlier[1:][-(CONTEXT_MESSAGES - 1) :]
    return " ".join(chosen)[:CONTEXT_CHARACTERS]
