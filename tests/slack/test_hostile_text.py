"""Titles, names and URLs from feeds and members never reach Slack as live markup: no
`<!channel>`, no mention, no link with a label of its own, in blocks or fallback text."""

import json
import re

import pytest

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import SourceKind
from community.pairing.introductions import Introducee, StartingPoint, introduction_text
from integrations.slack.text import escape, link
from tests.helpers import add_organiser, csrf_token, log_in
from tests.slack.fake_slack import BOT_USER_ID, slack_user
from tests.slack.signed_requests import post_event

HOSTILE_URL = "https://evil.example/a>*<!channel>*<https://phish.example/login|Official docs"
HOSTILE_TITLE = "Drift <!channel> <@U0ADMIN> <https://phish.example|click> & more"
EVENTS_CHANNEL = "CEVENTS1"
# Live markup Slack would act on: broadcasts, mentions, and links other than our own.
LIVE_MARKUP = re.compile(r"<!(channel|here|everyone)>|<@U0ADMIN>|<https://phish\.example")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "EVENTS_CHANNEL": EVENTS_CHANNEL}


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
