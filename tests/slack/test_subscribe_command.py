"""`/subscribe` in Slack: the profile's verified address at once, a typed one by email."""

import re
from urllib.parse import urlencode

import pytest
from sqlmodel import select

from community.models import Subscriber
from community.models.newsletter import SubscriberStatus
from tests.slack.fake_slack import signed_headers, slack_user
from tests.slack.signed_requests import SIGNING_SECRET


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


def _subscribe(client, slack, user_id: str, text: str = ""):
    body = urlencode(
        {
            "command": "/subscribe",
            "text": text,
            "user_id": user_id,
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": slack.response_url,
            "trigger_id": "t1",
        }
    )
    return client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(SIGNING_SECRET, body),
    )


def test_subscribe_uses_the_verified_profile_address(client, slack, session, mail_server):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")

    assert _subscribe(client, slack, "U7").status_code == 200

    subscriber = session.exec(select(Subscriber)).one()
    assert (subscriber.email, subscriber.status) == ("ada@example.org", SubscriberStatus.CONFIRMED)
    assert "You are subscribed" in slack.calls_to("T1")[-1]["text"]
    assert mail_server.to("ada@example.org") == []


def test_a_typed_address_needs_the_emailed_confirmation(client, slack, session, mail_server):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")

    _subscribe(client, slack, "U7", "ada.private@example.net")

    subscriber = session.exec(select(Subscriber)).one()
    assert (subscriber.email, subscriber.status) == (
        "ada.private@example.net",
        SubscriberStatus.PENDING,
    )
    (confirmation,) = mail_server.to("ada.private@example.net")
    assert re.search(r"/newsletter/confirm/\S+", confirmation.get_content())
    assert "open the link" in slack.calls_to("T1")[-1]["text"]


def test_a_bad_typed_address_is_explained(client, slack, session):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")

    _subscribe(client, slack, "U7", "not an address")

    assert "is not an email address" in slack.calls_to("T1")[-1]["text"]
    assert session.exec(select(Subscriber)).all() == []
