"""Helpful / Not helpful on every answer; Not helpful asks for an optional reason.

Each click is the member's verdict on that answer, replacing any earlier one; the reason,
when given, is added to the Not helpful that the click already recorded.
"""

import json
from typing import TYPE_CHECKING

from community.answers.feedback import record_feedback
from community.db import session_scope
from integrations.slack.blocks import reason_modal

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.action("answer_helpful")(helpful)
    bolt.action("answer_not_helpful")(not_helpful)
    bolt.view("answer_feedback_reason")(reason_given)


def helpful(ack, body, action, respond):
    ack()
    question, doc_ids = _read(action["value"])
    _record(question, doc_ids, helpful=True, user=body["user"]["id"], reason=None)
    respond(response_type="ephemeral", replace_original=False, text="Thanks for the feedback!")


def not_helpful(ack, body, action, client):
    ack()
    question, doc_ids = _read(action["value"])
    _record(question, doc_ids, helpful=False, user=body["user"]["id"], reason=None)
    client.views_open(trigger_id=body["trigger_id"], view=reason_modal(action["value"]))


def reason_given(ack, body, view):
    ack()
    question, doc_ids = _read(view.get("private_metadata", ""))
    reason = view["state"]["values"].get("reason", {}).get("text", {}).get("value")
    _record(question, doc_ids, helpful=False, user=body["user"]["id"], reason=reason)


def _record(question: str, doc_ids: list[str], *, helpful: bool, user: str, reason) -> None:
    with session_scope() as session:
        record_feedback(
            session=session,
            question=question,
            doc_ids=doc_ids,
            helpful=helpful,
            given_by=user,
            reason=reason,
        )


def _read(value: str) -> tuple[str, list[str]]:
    try:
        data = json.loads(value)
        return str(data.get("q", "")), [str(doc_id) for doc_id in data.get("d", [])]
    except (ValueError, AttributeError):
        return "", []
