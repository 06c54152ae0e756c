"""Asking the knowledge base: /ask, a mention in a channel, or a direct message.

Slack wants an acknowledgement within 3 seconds, so the search and the reply happen
after it: listeners run on Bolt's worker threads, and Bolt answers Slack's request as soon
as `ack()` is called (event listeners are acknowledged before they start).
"""

import re

from slack_bolt import App

from community.answers import service as answers
from community.answers.service import Answer
from community.db import session_scope
from community.slackbot.receipts import first_delivery
from integrations.slack.blocks import answer_blocks, answer_fallback_text

MENTION = re.compile(r"<@[A-Z0-9]+>")


def register(bolt: App) -> None:
    bolt.command("/ask")(answer_command)
    bolt.action("share_answer")(share_answer)
    bolt.event("app_mention")(answer_mention)
    bolt.event("message")(answer_direct_message)


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


def answer_mention(body, event, say):
    if first_delivery(body):
        _answer_in_thread(event, say)


def answer_direct_message(body, event, say):
    if event.get("channel_type") == "im" and _from_a_person(event) and first_delivery(body):
        _answer_in_thread(event, say)


def ask(question: str, slack_user_id: str | None) -> Answer:
    """The same answer the web page and `flask ask` give, recorded as asked in Slack."""
    with session_scope() as session:
        return answers.ask(session, question, asked_via="slack", asked_by=slack_user_id)


def _from_a_person(event: dict) -> bool:
    return not (event.get("bot_id") or event.get("subtype"))


def _answer_in_thread(event: dict, say) -> None:
    question = MENTION.sub("", event.get("text", "")).strip()
    if not question:
        return
    reply = ask(question, event.get("user"))
    say(
        text=answer_fallback_text(reply),
        blocks=answer_blocks(reply),
        thread_ts=event.get("thread_ts") or event.get("ts"),
    )
