"""*Still need help* under an answer in a thread: the question goes to people, once.

To SLACK_ESCALATION_CHANNEL (naming SLACK_EXPERTS there, if set), else to the experts
in a group message, else to the organisers' *Unanswered questions*. However often it
is pressed, by whomever, a thread is passed on once.
"""

import json
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from community.answers.feedback import ESCALATED, record_feedback
from community.answers.service import record_unanswered
from community.config import settings
from community.db import session_scope
from community.models import SlackEventReceipt
from community.outbox import queue_slack_message
from community.slackbot.receipts import once_key
from integrations.slack.text import escape, link
from integrations.slack.threads import permalink

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.action("answer_need_help")(need_help)


def need_help(ack, body, action, client, respond):
    ack()
    request = _read(action.get("value", ""))
    if request is None:
        return
    question, doc_ids, channel, thread_ts = request
    person = body["user"]["id"]
    link_to_thread = permalink(client, channel, thread_ts)
    try:
        told = _pass_on(question, doc_ids, channel, thread_ts, person, link_to_thread)
    except IntegrityError:  # this thread was passed on before; nothing new was stored
        told = "This question is already with the people who can help."
    respond(response_type="ephemeral", replace_original=False, text=told)


def _pass_on(question, doc_ids, channel, thread_ts, person, thread_link) -> str:
    """One unit of work: the receipt that makes it once, the feedback and the message."""
    config = settings()
    with session_scope() as session:
        session.add(SlackEventReceipt(event_id=once_key("escalation", channel, thread_ts)))
        record_feedback(
            session=session,
            question=question,
            doc_ids=doc_ids,
            helpful=False,
            given_by=person,
            reason=ESCALATED,
        )
        text = _escalation_text(question, person, thread_link)
        if config.SLACK_ESCALATION_CHANNEL:
            experts = " ".join(f"<@{expert}>" for expert in config.SLACK_EXPERTS)
            message = f"{experts} {text}".strip()
            queue_slack_message(session, channel=config.SLACK_ESCALATION_CHANNEL, text=message)
            return "I have asked the people who can help; they will reply in this thread."
        if config.SLACK_EXPERTS:
            queue_slack_message(session, open_with=config.SLACK_EXPERTS, text=text)
            return "I have asked the community's experts; they will reply in this thread."
        record_unanswered(
            session=session, question=question, asked_via="slack", asked_by=person, score=None
        )
        return "I have passed your question to the organisers."


def _escalation_text(question: str, person: str, thread_link: str | None) -> str:
    where = link(thread_link, "the thread") if thread_link else "its thread"
    return f"<@{person}> still needs help with “{escape(question[:500])}” ({where})."


def _read(value: str):
    try:
        data = json.loads(value)
        doc_ids = [str(doc_id) for doc_id in data.get("d", [])]
        return str(data["q"]), doc_ids, str(data["c"]), str(data["t"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
