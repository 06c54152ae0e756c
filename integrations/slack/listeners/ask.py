"""Asking the knowledge base: /ask, a mention in a channel, or a direct message.

Slack wants an acknowledgement within 3 seconds, so the search and the reply happen
after it: listeners run on Bolt's worker threads, and Bolt answers Slack's request as soon
as `ack()` is called (event listeners are acknowledged before they start).
"""

import re
from collections.abc import Callable

from slack_bolt import App

from integrations.slack.blocks import answer_blocks, answer_fallback_text

MENTION = re.compile(r"<@[A-Z0-9]+>")

Answerer = Callable[[str, str | None], object]  # (question, slack user id) -> Answer


def register(app: App, answer: Answerer, first_delivery: Callable[[dict], bool]) -> None:
    def answer_command(ack, command, respond):
        # Acknowledged first: Bolt returns the acknowledgement to Slack while this goes on.
        question = command.get("text", "").strip()
        if not question:
            ack("Ask a question after the command, for example `/ask how do I detect drift?`")
            return
        ack("Looking that up…")
        reply = answer(question, command.get("user_id"))
        respond(
            response_type="ephemeral",
            text=answer_fallback_text(reply),
            blocks=answer_blocks(reply, shareable=reply.found),
        )

    def share_answer(ack, body, action, say):
        ack()
        reply = answer(action["value"], body["user"]["id"])
        say(text=answer_fallback_text(reply), blocks=answer_blocks(reply))

    def answer_mention(body, event, say):
        if first_delivery(body):
            _answer_in_thread(event, say, answer)

    def answer_direct_message(body, event, say):
        if event.get("channel_type") == "im" and _from_a_person(event) and first_delivery(body):
            _answer_in_thread(event, say, answer)

    app.command("/ask")(answer_command)
    app.action("share_answer")(share_answer)
    app.event("app_mention")(answer_mention)
    app.event("message")(answer_direct_message)


def _from_a_person(event: dict) -> bool:
    return not (event.get("bot_id") or event.get("subtype"))


def _answer_in_thread(event: dict, say, answer: Answerer) -> None:
    question = MENTION.sub("", event.get("text", "")).strip()
    if not question:
        return
    reply = answer(question, event.get("user"))
    say(
        text=answer_fallback_text(reply),
        blocks=answer_blocks(reply),
        thread_ts=event.get("thread_ts") or event.get("ts"),
    )
