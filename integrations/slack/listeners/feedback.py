"""Helpful / Not helpful on every answer; Not helpful asks for an optional reason."""

import json
from collections.abc import Callable

from slack_bolt import App

from integrations.slack.blocks import reason_modal

# (question, doc ids, helpful, slack user id, reason) -> None
Recorder = Callable[[str, list[str], bool, str, str | None], None]


def register(app: App, record: Recorder) -> None:
    def helpful(ack, body, action, respond):
        ack()
        question, doc_ids = _read(action["value"])
        record(question, doc_ids, True, body["user"]["id"], None)
        respond(response_type="ephemeral", replace_original=False, text="Thanks for the feedback!")

    def not_helpful(ack, body, action, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=reason_modal(action["value"]))

    def reason_given(ack, body, view):
        ack()
        question, doc_ids = _read(view.get("private_metadata", ""))
        reason = view["state"]["values"].get("reason", {}).get("text", {}).get("value")
        record(question, doc_ids, False, body["user"]["id"], reason)

    app.action("answer_helpful")(helpful)
    app.action("answer_not_helpful")(not_helpful)
    app.view("answer_feedback_reason")(reason_given)


def _read(value: str) -> tuple[str, list[str]]:
    try:
        data = json.loads(value)
        return str(data.get("q", "")), [str(doc_id) for doc_id in data.get("d", [])]
    except (ValueError, AttributeError):
        return "", []
