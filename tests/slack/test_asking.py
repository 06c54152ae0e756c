"""Members ask in Slack: signed requests in, Web API calls out to a local stand-in for Slack."""

import json
import time
from urllib.parse import urlencode

from sqlmodel import select

from community.models import SlackEventReceipt, UnansweredQuestion
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID, signed_headers
from tests.slack.signed_requests import SIGNING_SECRET, post_event

QUESTION = "how do I detect model drift in production?"


def _post_command(client, text: str, response_url: str):
    body = urlencode(
        {
            "command": "/ask",
            "text": text,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": response_url,
            "trigger_id": "t1",
        }
    )
    return client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(SIGNING_SECRET, body),
    )


def _mention(text: str = f"<@{BOT_USER_ID}> {QUESTION}") -> dict:
    return {"type": "app_mention", "user": "U1", "text": text, "channel": "C1", "ts": "100.1"}


def test_a_mention_is_answered_in_its_thread_with_cited_sources(client, slack, demo):
    response = post_event(client, _mention())

    assert response.status_code == 200
    (message,) = slack.calls_to("chat.postMessage")
    assert message["channel"] == "C1"
    assert message["thread_ts"] == "100.1"
    blocks = json.dumps(message["blocks"])
    assert "Detecting Model Drift in Production" in blocks
    assert "https://example.org/posts/detecting-model-drift-in-production" in blocks
    assert "FAQ" in blocks and "Community blog" in blocks


def test_a_retried_or_repeated_event_is_answered_once(client, slack, demo, session):
    post_event(client, _mention(), event_id="Ev42")
    retry = post_event(client, _mention(), event_id="Ev42", headers={"X-Slack-Retry-Num": "1"})

    assert retry.status_code == 200
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert session.exec(select(SlackEventReceipt)).one().event_id == "Ev42"


def test_a_forged_request_is_refused_and_nothing_is_said(client, slack, demo):
    body = json.dumps({"type": "event_callback", "event_id": "Ev9", "event": _mention()})
    forged = client.post(
        "/slack/events",
        data=body,
        content_type="application/json",
        headers=signed_headers("not-the-secret", body),
    )
    stale = client.post(
        "/slack/events",
        data=body,
        content_type="application/json",
        headers=signed_headers(SIGNING_SECRET, body, timestamp=int(time.time()) - 3600),
    )

    assert forged.status_code == 401 and stale.status_code == 401
    assert slack.calls_to("chat.postMessage") == []


def test_a_direct_message_is_answered_and_bots_are_ignored(client, slack, demo):
    person = {"type": "message", "channel_type": "im", "user": "U1", "text": QUESTION}
    own = {**person, "user": BOT_USER_ID, "bot_id": BOT_ID}
    other_bot = {**person, "user": "U9", "bot_id": "B999", "subtype": "bot_message"}

    for number, event in enumerate((person, own, other_bot)):
        event = {**event, "channel": "D1", "ts": f"200.{number}"}
        assert post_event(client, event, event_id=f"EvDM{number}").status_code == 200

    (message,) = slack.calls_to("chat.postMessage")
    assert (message["channel"], message["thread_ts"]) == ("D1", "200.0")


def test_slash_ask_replies_only_to_the_asker_with_a_share_button(client, slack, demo):
    response = _post_command(client, QUESTION, slack.response_url)

    assert response.status_code == 200
    assert "Looking that up" in response.get_data(as_text=True)
    (reply,) = slack.calls_to("T1")
    assert reply["response_type"] == "ephemeral"
    assert "share_answer" in json.dumps(reply["blocks"])
    assert slack.calls_to("chat.postMessage") == []


def test_an_unanswerable_question_says_so_and_reaches_organisers(client, slack, demo, session):
    post_event(client, _mention(f"<@{BOT_USER_ID}> best sourdough hydration for baguettes?"))

    (message,) = slack.calls_to("chat.postMessage")
    assert "found nothing relevant" in message["text"]
    (recorded,) = session.exec(select(UnansweredQuestion)).all()
    assert (recorded.asked_via, recorded.asked_by) == ("slack", "U1")


def test_a_rate_limited_post_is_retried_after_retry_after(client, slack, demo):
    slack.rate_limit_next["chat.postMessage"] = 1

    post_event(client, _mention())

    assert len(slack.calls_to("chat.postMessage")) == 1


def test_without_tokens_the_service_runs_with_slack_off(make_app):
    app = make_app(SLACK_BOT_TOKEN=None, SLACK_SIGNING_SECRET=None)

    assert "slack_bolt" not in app.extensions
    assert app.test_client().post("/slack/events").status_code == 404
    assert app.test_client().get("/").status_code == 200


def test_the_manifest_points_every_url_at_this_deployment(make_app):
    import yaml

    app = make_app(PUBLIC_URL="https://community.example.org/")

    output = app.test_cli_runner().invoke(args=["slack", "manifest"]).stdout

    manifest = yaml.safe_load(output)
    events_url = "https://community.example.org/slack/events"
    assert manifest["settings"]["event_subscriptions"]["request_url"] == events_url
    assert manifest["settings"]["interactivity"]["request_url"] == events_url
    assert manifest["features"]["slash_commands"][0]["url"] == events_url
    assert "app_mention" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_share_button_posts_the_answer_in_the_channel(client, slack, demo):
    payload = {
        "type": "block_actions",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "container": {"type": "message", "channel_id": "C1"},
        "trigger_id": "t1",
        "response_url": slack.response_url,
        "actions": [{"type": "button", "action_id": "share_answer", "value": QUESTION}],
    }
    body = urlencode({"payload": json.dumps(payload)})

    response = client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(SIGNING_SECRET, body),
    )

    assert response.status_code == 200
    (message,) = slack.calls_to("chat.postMessage")
    assert message["channel"] == "C1"
    assert "Detecting Model Drift in Production" in json.dumps(message["blocks"])


def test_a_slack_outage_is_logged_and_the_service_keeps_running(client, slack, demo, caplog):
    slack.down.add("chat.postMessage")

    response = post_event(client, _mention())

    assert response.status_code == 200
    assert client.get("/").status_code == 200
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("chat.postMessage" in message for message in errors)
    slack.down.clear()
    post_event(client, _mention(), event_id="Ev002")
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_a_question_containing_the_word_payload_is_answered(client, slack, demo):
    response = _post_command(
        client, "how do I monitor drift in production payload logs?", slack.response_url
    )

    assert response.status_code == 200
    assert "Looking that up" in response.get_data(as_text=True)
    (reply,) = slack.calls_to("T1")
    assert "Detecting Model Drift in Production" in json.dumps(reply["blocks"])
