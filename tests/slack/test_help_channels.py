"""Help channels: the bot answers new questions there unasked, but only when confident;
follow-ups in threads are answered with what was said before them."""

import json

import pytest
from sqlmodel import select

from community.models import UnansweredQuestion
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID
from tests.slack.signed_requests import post_event

HELP = "CHELP0001"
CONFIDENT = "how do I detect model drift in production?"
UNSURE = "tips for an on-call rotation"  # an episode covers part of it
OFF_TOPIC = "which bank is good for expats in Doha?"
_event_numbers = iter(range(1, 10_000))


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SLACK_HELP_CHANNELS": f"{HELP}, COTHER9"}


def _say(client, text: str, *, channel: str = HELP, ts: str = "300.1", **fields):
    event = {"type": "message", "channel_type": "channel", "channel": channel, "user": "U1"}
    event = {**event, "text": text, "ts": ts, **fields}
    return post_event(client, event, event_id=f"EvHelp{next(_event_numbers)}")


def test_a_question_the_bot_is_sure_of_is_answered_in_its_thread(client, slack, demo):
    assert _say(client, CONFIDENT).status_code == 200

    (message,) = slack.calls_to("chat.postMessage")
    assert (message["channel"], message["thread_ts"]) == (HELP, "300.1")
    assert "Detecting Model Drift in Production" in json.dumps(message["blocks"])
    assert slack.calls_to("chat.postEphemeral") == []


def test_items_that_only_might_help_are_shown_to_the_asker_alone(client, slack, demo):
    _say(client, UNSURE)

    assert slack.calls_to("chat.postMessage") == []
    (offer,) = slack.calls_to("chat.postEphemeral")
    assert (offer["channel"], offer["user"], offer["thread_ts"]) == (HELP, "U1", "300.1")
    assert "On-Call for ML Systems" in json.dumps(offer["blocks"])
    assert offer["text"].startswith("Might help:")


def test_an_off_topic_question_gets_silence_and_reaches_organisers(client, slack, demo, session):
    _say(client, OFF_TOPIC)

    assert slack.calls_to("chat.postMessage") == slack.calls_to("chat.postEphemeral") == []
    (recorded,) = session.exec(select(UnansweredQuestion)).all()
    assert (recorded.question, recorded.asked_by) == (OFF_TOPIC, "U1")


def test_elsewhere_and_in_threads_it_was_not_asked_into_the_bot_keeps_quiet(client, slack, demo):
    _say(client, CONFIDENT, channel="CGENERAL1")  # not a help channel
    _say(client, CONFIDENT, ts="300.2", thread_ts="300.1")  # a reply in someone's thread
    _say(client, CONFIDENT, user=BOT_USER_ID, bot_id=BOT_ID)  # its own message
    _say(client, CONFIDENT, user="U9", bot_id="B999", subtype="bot_message")  # another bot
    _say(client, CONFIDENT, subtype="message_changed")  # an edit is not a new question

    assert slack.calls_to("chat.postMessage") == slack.calls_to("chat.postEphemeral") == []


def test_a_mention_in_a_help_channel_is_answered_once(client, slack, demo):
    text = f"<@{BOT_USER_ID}> {CONFIDENT}"
    _say(client, text)  # Slack sends the message event and the app_mention for it
    mention = {"type": "app_mention", "user": "U1", "text": text, "channel": HELP, "ts": "300.1"}
    post_event(client, mention, event_id="EvMention1")

    (message,) = slack.calls_to("chat.postMessage")
    assert message["thread_ts"] == "300.1"


def _thread(slack, channel: str, *texts: str) -> None:
    """A thread whose first message asked about drift and whose bot answered it."""
    messages = [{"ts": "400.1", "user": "U1", "text": CONFIDENT}]
    messages.append({"ts": "400.2", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Job posts"})
    for number, text in enumerate(texts, start=3):
        messages.append({"ts": f"400.{number}", "user": "U2", "text": text})
    slack.threads[(channel, "400.1")] = messages


FOLLOW_UP = "what should we compare it against?"  # alone it is not about drift


def _first_cited(message: dict) -> str:
    return message["text"].split(": ", 1)[1].split("; ")[0]


def test_a_follow_up_mention_is_answered_with_the_thread_as_context(client, slack, demo):
    _thread(slack, HELP, "we have a tabular model", "and weekly retraining", "on daily data")
    text = f"<@{BOT_USER_ID}> {FOLLOW_UP}"
    follow_up = {"type": "app_mention", "user": "U1", "text": text, "channel": HELP}
    post_event(client, {**follow_up, "ts": "400.9", "thread_ts": "400.1"}, event_id="EvF1")

    pages = slack.calls_to("conversations.replies")
    assert len(pages) == 3 and {page["ts"] for page in pages} == {"400.1"}
    (message,) = slack.calls_to("chat.postMessage")
    assert message["thread_ts"] == "400.1"
    assert _first_cited(message).startswith("How do I detect data drift")


def test_without_its_thread_the_same_follow_up_finds_nothing_about_drift(client, slack, demo):
    text = f"<@{BOT_USER_ID}> {FOLLOW_UP}"
    post_event(
        client,
        {"type": "app_mention", "user": "U1", "text": text, "channel": HELP, "ts": "500.1"},
        event_id="EvF2",
    )

    (message,) = slack.calls_to("chat.postMessage")
    assert "drift" not in _first_cited(message)


def test_a_follow_up_in_a_direct_message_thread_reads_the_thread(client, slack, demo):
    _thread(slack, "D1")
    event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1"}
    post_event(client, {**event, "text": FOLLOW_UP, "ts": "400.9", "thread_ts": "400.1"})

    assert slack.calls_to("conversations.replies")
    (message,) = slack.calls_to("chat.postMessage")
    assert _first_cited(message).startswith("How do I detect data drift")


def test_a_thread_slack_will_not_show_still_gets_an_answer(client, slack, demo):
    slack.errors["conversations.replies"] = "thread_not_found"
    text = f"<@{BOT_USER_ID}> {CONFIDENT}"
    mention = {"type": "app_mention", "user": "U1", "text": text, "channel": HELP}
    post_event(client, {**mention, "ts": "400.9", "thread_ts": "400.1"})

    (message,) = slack.calls_to("chat.postMessage")
    assert "Detecting Model Drift in Production" in json.dumps(message["blocks"])
