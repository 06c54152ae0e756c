"""App Home: what is coming up and new, and the member's pairing and newsletter settings."""

import json
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlmodel import select

from community.models import Member, Subscriber
from community.models.newsletter import SubscriberStatus
from tests.slack.fake_slack import slack_user
from tests.slack.signed_requests import block_action, post_event, post_interaction

PAIRING_CHANNEL = "CPAIR01"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PAIRING_CHANNEL": PAIRING_CHANNEL}


@pytest.fixture
def ada(slack):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org", tz="Europe/Berlin")
    return "U7"


def _open_home(client, user_id: str, *, tab: str = "home", event_id: str = "EvHome1"):
    event = {"type": "app_home_opened", "user": user_id, "channel": "D7", "tab": tab}
    return post_event(client, event, event_id=event_id)


def _press(client, user_id: str, action_id: str, **action):
    action = {"type": "button", "action_id": action_id, "value": action_id, **action}
    return post_interaction(client, block_action(user_id, action))


def _last_home(slack, user_id: str) -> dict:
    published = [call for call in slack.calls_to("views.publish") if call["user_id"] == user_id]
    assert published, "no App Home was published"
    view = published[-1]["view"]
    return json.loads(view) if isinstance(view, str) else view


def _texts(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def _action_ids(view: dict) -> set[str]:
    return {
        element["action_id"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def test_home_shows_upcoming_events_and_the_latest_posts_and_episodes(client, slack, demo, ada):
    assert _open_home(client, ada).status_code == 200

    view = _last_home(slack, ada)
    assert view["type"] == "home"
    text = _texts(view)
    assert "Berlin MLOps Meetup: Monitoring Models After Launch" in text
    assert "Detecting Model Drift in Production" in text
    assert "Podcast episode" in text
    assert "/events/" in text  # each event links to its public page


def test_opening_home_remembers_the_member_from_their_slack_profile(client, slack, ada, session):
    _open_home(client, ada)

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    assert (member.name, member.email, member.tz, member.tz_offset) == (
        "Ada",
        "ada@example.org",
        "Europe/Berlin",
        3600,
    )
    assert not member.pairing_opt_in


def test_the_messages_tab_does_not_publish_a_home(client, slack, ada):
    _open_home(client, ada, tab="messages")

    assert slack.calls_to("views.publish") == []


def test_joining_pairing_adds_the_member_to_the_pairing_channel(client, slack, ada, session):
    _open_home(client, ada)
    assert "pairing_join" in _action_ids(_last_home(slack, ada))

    _press(client, ada, "pairing_join")

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    assert member.pairing_opt_in
    (invite,) = slack.calls_to("conversations.invite")
    assert (invite["channel"], invite["users"]) == (PAIRING_CHANNEL, ada)
    home = _last_home(slack, ada)
    assert "you will be introduced in the next round" in _texts(home)
    assert {"pairing_skip", "pairing_snooze", "pairing_leave"} <= _action_ids(home)


def test_skipping_the_next_round_can_be_undone(client, slack, ada, session):
    _press(client, ada, "pairing_join")
    _press(client, ada, "pairing_skip")

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    assert member.pairing_skip_next
    assert "skip the next round" in _texts(_last_home(slack, ada))
    assert "pairing_unskip" in _action_ids(_last_home(slack, ada))

    _press(client, ada, "pairing_unskip")
    session.refresh(member)
    assert not member.pairing_skip_next


def test_snoozing_until_a_date_and_a_past_date_is_refused(client, slack, ada, session):
    # Noon UTC on 8 December 2026: it is the 8th in the community's time zone, whichever it is
    # (from UTC-12 to UTC+11), so the 7th is yesterday there.
    with time_machine.travel(datetime(2026, 12, 8, 12, 0, tzinfo=UTC), tick=True):
        _press(client, ada, "pairing_join")

        _press(client, ada, "pairing_snooze", type="datepicker", selected_date="2026-12-07")
        member = session.exec(select(Member).where(Member.slack_id == ada)).one()
        assert member.pairing_snoozed_until is None
        assert "Pick a date from today on" in _texts(_last_home(slack, ada))

        _press(client, ada, "pairing_snooze", type="datepicker", selected_date="2027-01-08")
        session.refresh(member)
        assert member.pairing_snoozed_until == date(2027, 1, 8)
        assert "snoozed until" in _texts(_last_home(slack, ada))
        assert "pairing_unsnooze" in _action_ids(_last_home(slack, ada))


def test_leaving_pairing_removes_the_member_from_the_channel(client, slack, ada, session):
    _press(client, ada, "pairing_join")
    _press(client, ada, "pairing_leave")

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    assert not member.pairing_opt_in
    (kick,) = slack.calls_to("conversations.kick")
    assert (kick["channel"], kick["user"]) == (PAIRING_CHANNEL, ada)
    assert "pairing_join" in _action_ids(_last_home(slack, ada))


def test_a_failed_channel_invite_keeps_the_choice_and_tells_the_member(client, slack, ada, session):
    slack.errors["conversations.invite"] = "channel_not_found"

    assert _press(client, ada, "pairing_join").status_code == 200

    member = session.exec(select(Member).where(Member.slack_id == ada)).one()
    assert member.pairing_opt_in
    assert "could not update your membership of the pairing channel" in _texts(
        _last_home(slack, ada)
    )


def test_subscribing_from_slack_confirms_with_the_verified_address(client, slack, ada, session):
    _open_home(client, ada)
    assert "newsletter_subscribe" in _action_ids(_last_home(slack, ada))

    _press(client, ada, "newsletter_subscribe")

    subscriber = session.exec(select(Subscriber)).one()
    assert (subscriber.email, subscriber.name, subscriber.source) == (
        "ada@example.org",
        "Ada",
        "slack",
    )
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.consented_at is not None
    home = _last_home(slack, ada)
    assert "You receive the newsletter at ada@example.org" in _texts(home)

    _press(client, ada, "newsletter_unsubscribe")
    session.refresh(subscriber)
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert "newsletter_subscribe" in _action_ids(_last_home(slack, ada))


def test_without_a_shared_email_there_is_no_subscribe_button(client, slack, session):
    slack.users["U8"] = slack_user("U8", "Grace", email=None)

    _open_home(client, "U8")
    _press(client, "U8", "newsletter_subscribe")

    home = _last_home(slack, "U8")
    assert "newsletter_subscribe" not in _action_ids(home)
    assert "did not share your email address" in _texts(home)
    assert session.exec(select(Subscriber)).all() == []


def test_home_says_when_pairing_is_not_set_up(make_app, slack, ada):
    client = make_app(PAIRING_CHANNEL=None).test_client()

    _open_home(client, ada)

    home = _last_home(slack, ada)
    assert "Pairing is not set up" in _texts(home)
    assert "pairing_join" not in _action_ids(home)
