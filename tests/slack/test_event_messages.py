"""Events in Slack: new ones announced with an RSVP button; the button registers the member."""

import json

import pytest
from sqlalchemy import update
from sqlmodel import select

from community.models import Member, OutgoingSlackMessage, Registration, RegistrationStatus
from community.models.types import utcnow
from tests.helpers import add_organiser, csrf_token, log_in
from tests.slack.fake_slack import slack_user
from tests.slack.signed_requests import block_action, post_event, post_interaction

EVENTS_CHANNEL = "CEVENTS1"


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "EVENTS_CHANNEL": EVENTS_CHANNEL, "SMTP_URL": mail_server.url}


def _press_rsvp(client, slack, user_id: str, event_id: int):
    action = {"type": "button", "action_id": "event_rsvp", "value": str(event_id)}
    return post_interaction(client, block_action(user_id, action, response_url=slack.response_url))


def test_publishing_announces_the_event_once_with_an_rsvp_button(
    client, slack, session, make_event
):
    event = make_event(status="draft")
    add_organiser(session)
    log_in(client)

    for _ in range(2):
        token = csrf_token(client.get(f"/admin/events/{event.id}").get_data(as_text=True))
        client.post(f"/admin/events/{event.id}/publish", data={"csrf_token": token})

    (announcement,) = slack.calls_to("chat.postMessage")
    assert announcement["channel"] == EVENTS_CHANNEL
    blocks = json.dumps(announcement["blocks"])
    assert event.title in blocks
    assert '"action_id": "event_rsvp"' in blocks


def test_the_rsvp_button_registers_the_member_with_their_slack_email(
    client, slack, session, make_event, mail_server
):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")
    event = make_event(capacity=1)

    _press_rsvp(client, slack, "U7", event.id)

    registration = session.exec(select(Registration)).one()
    member = session.exec(select(Member)).one()
    assert (registration.email, registration.member_id) == ("ada@example.org", member.id)
    assert registration.status == RegistrationStatus.REGISTERED
    assert "You are registered" in slack.calls_to("T1")[-1]["text"]
    assert mail_server.to("ada@example.org")
    dm = [call for call in slack.calls_to("chat.postMessage") if call["channel"] == "U7"]
    assert dm and event.title in dm[0]["text"]


def test_pressing_rsvp_twice_says_so_and_a_full_event_waitlists(client, slack, session, make_event):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")
    slack.users["U8"] = slack_user("U8", "Grace", "grace@example.org")
    event = make_event(capacity=1)

    _press_rsvp(client, slack, "U7", event.id)
    _press_rsvp(client, slack, "U7", event.id)
    _press_rsvp(client, slack, "U8", event.id)

    replies = [call["text"] for call in slack.calls_to("T1")]
    assert "already registered" in replies[1]
    assert "waitlist" in replies[2]
    assert len(session.exec(select(Registration)).all()) == 2


def test_an_answer_about_an_upcoming_event_offers_rsvp(client, slack, demo):
    post_event(
        client,
        {
            "type": "app_mention",
            "user": "U1",
            "text": "any feature store workshops coming up?",
            "channel": "C1",
            "ts": "1.1",
        },
    )

    (answer,) = slack.calls_to("chat.postMessage")
    assert "Building Your First Feature Store Pipeline" in json.dumps(answer["blocks"])
    assert '"event_rsvp"' in json.dumps(answer["blocks"])


def test_an_announcement_missed_while_slack_was_down_is_posted_later(
    app, client, slack, session, make_event
):
    from community.events.jobs import announce_new_events
    from community.outbox.worker import deliver_outbox

    event = make_event(status="draft")
    add_organiser(session)
    log_in(client)
    slack.down.add("chat.postMessage")
    token = csrf_token(client.get(f"/admin/events/{event.id}").get_data(as_text=True))
    client.post(f"/admin/events/{event.id}/publish", data={"csrf_token": token})
    assert slack.calls_to("chat.postMessage") == []

    slack.down.clear()
    session.execute(update(OutgoingSlackMessage).values(next_attempt_at=utcnow()))
    session.commit()  # as when its wait after the failure is over
    with app.app_context():
        announce_new_events()  # already queued: not a second time
        deliver_outbox()  # the scheduler's retry
        deliver_outbox()

    (announcement,) = slack.calls_to("chat.postMessage")
    assert announcement["channel"] == EVENTS_CHANNEL
