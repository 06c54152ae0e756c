"""Titles, names and URLs from feeds and members never reach Slack as live markup: no
`<!channel>`, no mention, no link with a label of its own, in blocks or fallback text."""

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import Member, SourceKind
from community.pairing.introductions import Introducee, StartingPoint, introduction_text
from community.pairing.jobs import run_pairing
from integrations.slack.text import escape, link
from tests.helpers import add_organiser, csrf_token, deliver_outbox, log_in
from tests.slack.fake_slack import BOT_USER_ID, slack_user
from tests.slack.signed_requests import block_action, post_event, post_interaction

HOSTILE_URL = "https://evil.example/a>*<!channel>*<https://phish.example/login|Official docs"
HOSTILE_TITLE = "Drift <!channel> <@U0ADMIN> <https://phish.example|click> & more"
EVENTS_CHANNEL = "CEVENTS1"
HELP_CHANNEL = "CHELP0001"
PAIRING_CHANNEL = "CCOFFEE1"
# As Slack's API carries what a member typed: their own `<` and `>` arrive escaped.
HOSTILE_QUESTION = "Why &lt;!channel&gt; and &lt;https://phish.example/login|Official docs&gt;?"
# Live markup Slack would act on: broadcasts, mentions, and links other than our own.
LIVE_MARKUP = re.compile(r"<!(channel|here|everyone)>|<@U0ADMIN>|<https://phish\.example")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "EVENTS_CHANNEL": EVENTS_CHANNEL, "SLACK_HELP_CHANNELS": HELP_CHANNEL}


@pytest.fixture
def hostile_item(session):
    source = get_or_create_source(session=session, kind=SourceKind.FEED, name="Feed <!here>")
    data = ItemData(
        kind="post",
        external_id="hostile-1",
        title=HOSTILE_TITLE,
        summary="How to detect model drift in production, by <!channel> & friends.",
        body_text="How to detect model drift in production, by <!channel> & friends.",
        url=HOSTILE_URL,
    )
    upsert_item(session=session, source=source, data=data)
    session.commit()


def _everything_sent(slack) -> str:
    return json.dumps(slack.calls, ensure_ascii=False)


def test_an_answer_citing_a_hostile_item_is_inert(client, slack, demo, hostile_item):
    question = f"<@{BOT_USER_ID}> drift more friends"
    post_event(client, {"type": "app_mention", "user": "U1", "text": question, "channel": "C1"})

    (message,) = slack.calls_to("chat.postMessage")
    sent = json.dumps(message, ensure_ascii=False)
    assert "Drift &lt;!channel&gt;" in sent  # the title is there, escaped
    assert not LIVE_MARKUP.search(sent)
    assert "Drift &lt;!channel&gt;" in message["text"]  # the fallback text too
    links = re.findall(r"<(https?://[^|>]*)\|", sent)
    assert links and all("%3E" in url and "%7C" in url for url in links if "evil" in url)


def test_an_announcement_of_a_hostile_event_is_inert(client, slack, session, make_event):
    event = make_event(title=HOSTILE_TITLE, status="draft")
    add_organiser(session)
    log_in(client)

    token = csrf_token(client.get(f"/admin/events/{event.id}").get_data(as_text=True))
    client.post(f"/admin/events/{event.id}/publish", data={"csrf_token": token})

    (announcement,) = slack.calls_to("chat.postMessage")
    assert announcement["text"].startswith("New event: Drift &lt;!channel&gt;")
    assert not LIVE_MARKUP.search(_everything_sent(slack))


def test_app_home_with_hostile_items_and_events_is_inert(client, slack, hostile_item, make_event):
    make_event(title=HOSTILE_TITLE)
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")

    post_event(client, {"type": "app_home_opened", "user": "U7", "tab": "home"}, event_id="EvH")

    assert slack.calls_to("views.publish")
    assert "Drift &lt;!channel&gt;" in _everything_sent(slack)
    assert not LIVE_MARKUP.search(_everything_sent(slack))


def test_an_introduction_with_hostile_interests_and_starting_point_is_inert():
    people = [
        Introducee("U1", "Ada", 0, frozenset({"<!channel> llm"})),
        Introducee("U2", "Grace", 3600, frozenset({"<!channel> llm"})),
    ]

    text = introduction_text(people, StartingPoint(HOSTILE_TITLE, HOSTILE_URL))

    assert "<@U1>" in text and "<@U2>" in text  # the bot's own mentions stay live
    assert "&lt;!channel&gt; llm" in text
    assert not LIVE_MARKUP.search(text)


def _solved_thread(slack, ts: str) -> str:
    """A help-channel thread asking the hostile question; returns its answer's ts."""
    slack.users["U2"] = slack_user("U2", "Grace")
    answer_ts = f"{ts}1"
    slack.threads[(HELP_CHANNEL, ts)] = [
        {"ts": ts, "user": "U1", "text": f"{HOSTILE_QUESTION} ({ts})"},
        {"ts": answer_ts, "user": "U2", "text": "Use a schema registry and fail CI."},
    ]
    return answer_ts


def test_thanks_for_marking_an_answer_to_a_hostile_question_are_inert(client, slack):
    checked = _solved_thread(slack, "700.")
    shortcut_on = _solved_thread(slack, "800.")

    reaction = {
        "type": "reaction_added",
        "user": "U1",
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": HELP_CHANNEL, "ts": checked},
    }
    post_event(client, reaction, event_id="EvSolved")
    shortcut = {
        "type": "message_action",
        "callback_id": "mark_as_answer",
        "user": {"id": "U1"},
        "team": {"id": "T1"},
        "channel": {"id": HELP_CHANNEL},
        "message": {"type": "message", "ts": shortcut_on, "user": "U2", "text": "Use it."},
        "response_url": slack.response_url,
    }
    post_interaction(client, shortcut)

    (ephemeral,) = slack.calls_to("chat.postEphemeral")
    (replied,) = slack.calls_to("T1")
    for told in (ephemeral["text"], replied["text"]):
        assert "waits for an organiser" in told
        assert "Why &lt;!channel&gt; and &lt;https://phish.example/login|" in told
    assert not LIVE_MARKUP.search(_everything_sent(slack))


def test_direct_messages_about_a_hostile_event_are_inert(client, slack, session, make_event):
    slack.users["U7"] = slack_user("U7", "Ada", "ada@example.org")
    event = make_event(
        title=HOSTILE_TITLE, format="hybrid", venue="Hall <!here>", join_url=HOSTILE_URL
    )
    rsvp = {"type": "button", "action_id": "event_rsvp", "value": str(event.id)}
    post_interaction(client, block_action("U7", rsvp, response_url=slack.response_url))
    add_organiser(session)
    log_in(client)
    token = csrf_token(client.get(f"/admin/events/{event.id}").get_data(as_text=True))
    client.post(f"/admin/events/{event.id}/cancel", data={"csrf_token": token})

    direct = [call for call in slack.calls_to("chat.postMessage") if call["channel"] == "U7"]
    assert [dm["text"].split("\n")[0] for dm in direct] == [
        "*You are registered: Drift &lt;!channel&gt; &lt;@U0ADMIN&gt; "
        "&lt;https://phish.example|click&gt; &amp; more*",
        "*Cancelled: Drift &lt;!channel&gt; &lt;@U0ADMIN&gt; "
        "&lt;https://phish.example|click&gt; &amp; more*",
    ]
    assert "Hall &lt;!here&gt;" in direct[0]["text"]
    assert not LIVE_MARKUP.search(_everything_sent(slack))


@pytest.fixture
def pairing_app(make_app):
    """Pairing on, with today (pinned below) the round's day."""
    return make_app(
        PAIRING_CHANNEL=PAIRING_CHANNEL,
        COMMUNITY_TIMEZONE="UTC",
        PAIRING_FREQUENCY="weekly",
        PAIRING_DAY="tue",
        PAIRING_HOUR=0,
    )


def _pair(app, slack, session, people: dict[str, str], interests: list[str]) -> list[str]:
    """Runs a round's job on a Tuesday and returns the introductions posted in group DMs."""
    for slack_id, name in people.items():
        slack.users[slack_id] = slack_user(slack_id, name)
        session.add(Member(slack_id=slack_id, name=name, interests=interests, pairing_opt_in=True))
    session.commit()
    with time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=UTC), tick=True):
        with app.app_context():
            run_pairing()
        deliver_outbox(app)
    posted = slack.calls_to("chat.postMessage")
    return [call["text"] for call in posted if call["channel"].startswith("G")]


def test_a_pairing_introduction_with_hostile_interests_and_starting_point_is_inert(
    pairing_app, slack, session, hostile_item
):
    interests = ["<!channel> drift", "<https://phish.example|friends>"]

    (introduction,) = _pair(pairing_app, slack, session, {"U1": "Ada", "U2": "Grace"}, interests)

    assert "<@U1>" in introduction and "<@U2>" in introduction  # the bot's own mentions
    assert "&lt;!channel&gt; drift" in introduction
    assert "|Drift &lt;!channel&gt;" in introduction  # the starting point, linked inertly
    assert not LIVE_MARKUP.search(_everything_sent(slack))


def test_a_pairing_introduction_of_members_with_hostile_names_is_inert(pairing_app, slack, session):
    people = {"U1": "Ada <!channel>", "U2": "<https://phish.example|Grace>"}

    (introduction,) = _pair(pairing_app, slack, session, people, ["drift"])

    assert "for Ada &lt;!channel&gt;" in introduction
    assert not LIVE_MARKUP.search(_everything_sent(slack))


@pytest.mark.parametrize(
    ("url", "label", "expected"),
    [
        ("https://example.org/a?b=1&c=2", "A & B", "<https://example.org/a?b=1&c=2|A &amp; B>"),
        (
            HOSTILE_URL,
            "x",
            "<https://evil.example/a%3E*%3C!channel%3E*%3Chttps://phish.example/login%7COfficial%20docs|x>",
        ),
        ("javascript:alert(1)", "<b>", "&lt;b&gt;"),
        (None, "plain", "plain"),
        ("https://example.org/ünï", "u", "<https://example.org/%C3%BCn%C3%AF|u>"),
    ],
)
def test_links_keep_their_url_inside_and_their_label_escaped(url, label, expected):
    assert link(url, label) == expected


def test_escape_leaves_no_control_characters():
    assert escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"
