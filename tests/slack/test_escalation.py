"""Under an answer in a thread: *Solved*, or *Still need help*, which reaches people once."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from community.models import AnswerFeedback, UnansweredQuestion
from community.slackbot.jobs import prune_event_receipts
from tests.slack.signed_requests import post_event, post_interaction

HELP, ESCALATION = "CHELP0001", "CESCAL001"
QUESTION = "how do I detect model drift in production?"
PERMALINK = f"https://example.slack.com/archives/{HELP}/p6001"


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "SLACK_HELP_CHANNELS": HELP,
        "SLACK_ESCALATION_CHANNEL": ESCALATION,
        "SLACK_EXPERTS": "UEXP1 UEXP2",
    }


def _answer_buttons(client, slack) -> dict:
    event = {"type": "message", "channel_type": "channel", "channel": HELP, "user": "U1"}
    post_event(client, {**event, "text": QUESTION, "ts": "600.1"}, event_id="EvQ1")
    (answer,) = slack.calls_to("chat.postMessage")
    actions = next(block for block in answer["blocks"] if block["type"] == "actions")
    return {button["text"]["text"]: button for button in actions["elements"]}


def _press(client, slack, button: dict, user: str = "U1"):
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "channel": {"id": HELP},
        "response_url": slack.response_url,
        "actions": [{"type": "button", "action_id": button["action_id"], "value": button["value"]}],
    }
    return post_interaction(client, payload)


def _posted_to(slack, channel: str) -> list[dict]:
    return [call for call in slack.calls_to("chat.postMessage") if call["channel"] == channel]


def test_still_need_help_reaches_the_escalation_channel_once(client, slack, demo, session):
    buttons = _answer_buttons(client, slack)
    assert list(buttons) == ["Solved", "Still need help", "Not helpful"]

    assert _press(client, slack, buttons["Still need help"]).status_code == 200
    _press(client, slack, buttons["Still need help"], user="U2")  # someone else, later

    (escalated,) = _posted_to(slack, ESCALATION)
    assert escalated["text"].startswith("<@UEXP1> <@UEXP2> <@U1> still needs help")
    assert QUESTION in escalated["text"] and PERMALINK in escalated["text"]
    replies = [call["text"] for call in slack.calls_to("T1")]
    assert replies[0].startswith("I have asked the people who can help")
    assert replies[1] == "This question is already with the people who can help."
    (feedback,) = session.exec(select(AnswerFeedback)).all()
    assert (feedback.helpful, feedback.given_by, feedback.question) == (False, "U1", QUESTION)


def test_solved_counts_as_helpful_feedback(client, slack, demo, session):
    _press(client, slack, _answer_buttons(client, slack)["Solved"])

    (feedback,) = session.exec(select(AnswerFeedback)).all()
    assert feedback.helpful is True
    assert _posted_to(slack, ESCALATION) == []


def test_without_an_escalation_channel_the_experts_are_messaged_together(make_app, slack, session):
    app = make_app(SLACK_ESCALATION_CHANNEL=None)
    client = app.test_client()
    app.test_cli_runner().invoke(args=["demo", "load"])

    _press(client, slack, _answer_buttons(client, slack)["Still need help"])

    (opened,) = slack.calls_to("conversations.open")
    assert opened["users"] == "UEXP1,UEXP2"
    group = [call for call in slack.calls_to("chat.postMessage") if call["channel"] != HELP]
    assert len(group) == 1 and "<@U1> still needs help" in group[0]["text"]


def test_with_no_one_named_the_question_goes_to_the_organisers(make_app, slack, session):
    app = make_app(SLACK_ESCALATION_CHANNEL=None, SLACK_EXPERTS="")
    client = app.test_client()
    app.test_cli_runner().invoke(args=["demo", "load"])

    _press(client, slack, _answer_buttons(client, slack)["Still need help"])

    (recorded,) = session.exec(select(UnansweredQuestion)).all()
    assert (recorded.question, recorded.asked_by) == (QUESTION, "U1")
    assert slack.calls_to("T1")[0]["text"] == "I have passed your question to the organisers."


def test_a_thread_is_never_passed_on_twice_even_after_receipts_are_pruned(app, client, slack, demo):
    buttons = _answer_buttons(client, slack)
    _press(client, slack, buttons["Still need help"])

    with time_machine.travel(datetime.now(UTC) + timedelta(days=30)), app.app_context():
        prune_event_receipts()
    _press(client, slack, buttons["Still need help"])

    assert len(_posted_to(slack, ESCALATION)) == 1
