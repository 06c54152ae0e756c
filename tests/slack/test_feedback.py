"""Helpful / Not helpful on the bot's answers, and what organisers see of it."""

import json

from sqlmodel import select

from community.models import AnswerFeedback
from tests.helpers import add_organiser, log_in
from tests.slack.fake_slack import BOT_USER_ID
from tests.slack.signed_requests import post_event, post_interaction
from tests.slack.test_asking import QUESTION, _mention


def _feedback_buttons(slack) -> dict:
    (message,) = slack.calls_to("chat.postMessage")
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    return {button["action_id"]: button["value"] for button in actions["elements"]}


def click_payload(slack, action_id: str, value: str) -> dict:
    return {
        "type": "block_actions",
        "user": {"id": "U5"},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "trigger_id": "trigger-1",
        "response_url": slack.response_url,
        "actions": [{"type": "button", "action_id": action_id, "value": value}],
    }


def _click(client, slack, action_id: str, value: str):
    return post_interaction(client, click_payload(slack, action_id, value))


def test_helpful_is_stored_with_the_question_and_the_items_shown(client, slack, demo, session):
    post_event(client, _mention())
    buttons = _feedback_buttons(slack)

    assert _click(client, slack, "answer_helpful", buttons["answer_helpful"]).status_code == 200

    feedback = session.exec(select(AnswerFeedback)).one()
    assert (feedback.question, feedback.helpful, feedback.given_by) == (QUESTION, True, "U5")
    assert feedback.doc_ids and all(d.startswith(("item:", "event:")) for d in feedback.doc_ids)
    assert "Thanks" in slack.calls_to("T1")[0]["text"]


def test_not_helpful_opens_a_modal_and_stores_the_optional_reason(client, slack, demo, session):
    post_event(client, _mention(f"<@{BOT_USER_ID}> how do I version datasets?"))
    value = _feedback_buttons(slack)["answer_not_helpful"]

    _click(client, slack, "answer_not_helpful", value)
    (opened,) = slack.calls_to("views.open")
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    post_interaction(
        client,
        {
            "type": "view_submission",
            "user": {"id": "U5"},
            "team": {"id": "T1"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "answer_feedback_reason",
                "private_metadata": view["private_metadata"],
                "state": {"values": {"reason": {"text": {"value": "Nothing about DVC"}}}},
            },
        },
    )

    feedback = session.exec(select(AnswerFeedback)).one()
    assert (feedback.helpful, feedback.reason) == (False, "Nothing about DVC")
    assert feedback.question == "how do I version datasets?"


def test_organisers_see_the_helpful_rate_and_unhelpful_questions(client, session):
    from community.answers.feedback import record_feedback

    for member, helpful in enumerate((True, True, True, False)):
        record_feedback(
            session=session,
            question="how do I shard embeddings?",
            doc_ids=["item:1"],
            helpful=helpful,
            given_by=f"U{member}",
            reason=None if helpful else "too general",
        )
    session.commit()
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/answer-feedback").get_data(as_text=True)

    assert '<span class="stat" id="helpful-rate">75%</span>' in page
    assert "how do I shard embeddings?" in page and "too general" in page
