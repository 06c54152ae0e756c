"""A reply marked as the answer in a help channel becomes a knowledge item, after review."""

import json
import time

import pytest
from sqlmodel import select

from community.models import ContentItem, ItemStatus
from tests.helpers import add_organiser, csrf_token, log_in
from tests.newsletter.conftest import issue_week
from tests.slack.fake_slack import slack_user
from tests.slack.signed_requests import post_event, post_interaction

HELP = "CHELP0001"
ASKER, ANSWERER, STRANGER, ORGANISER = "U1", "U2", "U3", "UORG1"
QUESTION = (
    "Our feature pipeline silently drops rows whenever the upstream team renames a column. "
    "How do we catch that before it reaches training?"
)
ANSWER = (
    "Agree a data contract with the producers: check the schema in CI with a validation "
    "step and fail the job on a missing or renamed column, see <https://example.org/contracts"
    "|our contract template>."
)
PARAPHRASE = "how can we notice upstream schema renames before they break model training?"
PERMALINK = f"https://example.slack.com/archives/{HELP}/p5001"
_numbers = iter(range(1, 10_000))


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SLACK_HELP_CHANNELS": HELP, "SLACK_ORGANISERS": ORGANISER}


@pytest.fixture
def thread(slack):
    slack.channel_names[HELP] = "help-mlops"
    slack.users[ANSWERER] = slack_user(ANSWERER, "Grace Hopper")
    slack.threads[(HELP, "500.0")] = [
        {"ts": "500.0", "user": ASKER, "text": QUESTION},
        {"ts": "500.1", "user": ANSWERER, "text": ANSWER},
        {"ts": "500.2", "user": STRANGER, "text": "+1, we hit this too"},
    ]


def _react(client, user: str, ts: str = "500.1", reaction="white_check_mark", channel=HELP):
    event = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "item_user": ANSWERER,
    }
    return post_event(client, event, event_id=f"EvReact{next(_numbers)}")


def _items(session) -> list[ContentItem]:
    session.expire_all()
    return list(session.exec(select(ContentItem).where(ContentItem.kind == "thread")))


def _cited_urls(runner, question: str) -> list[str]:
    answer = json.loads(runner.invoke(args=["ask", question, "--json"]).output)
    return [item["url"] for item in answer["items"]]


def test_the_askers_check_mark_drafts_the_thread_and_approval_makes_the_bot_cite_it(
    client, slack, thread, demo, runner, session
):
    assert _react(client, ASKER).status_code == 200

    (draft,) = _items(session)
    assert (draft.status, draft.url) == (ItemStatus.PENDING, PERMALINK)
    assert draft.title.startswith("Our feature pipeline") and len(draft.title) <= 200
    assert draft.author == "Grace Hopper" and draft.collection == "#help-mlops"
    assert "our contract template (https://example.org/contracts)" in draft.body_text
    (told,) = slack.calls_to("chat.postEphemeral")
    assert told["user"] == ASKER and "waits for an organiser" in told["text"]
    assert PERMALINK not in _cited_urls(runner, PARAPHRASE)  # not before review

    listed = runner.invoke(args=["kb", "pending", "--json"]).output.splitlines()
    pending = [json.loads(line) for line in listed]
    assert [row["id"] for row in pending if row["kind"] == "thread"] == [draft.id]
    assert runner.invoke(args=["kb", "approve", str(draft.id)]).exit_code == 0

    assert PERMALINK in _cited_urls(runner, PARAPHRASE)


def test_a_strangers_mark_or_another_reaction_or_the_question_itself_counts_for_nothing(
    client, slack, thread, session
):
    _react(client, STRANGER)
    _react(client, ASKER, reaction="thumbsup")
    _react(client, ASKER, ts="500.0")  # the question is not its own answer

    assert _items(session) == []


def test_an_organisers_mark_counts(client, slack, thread, session):
    _react(client, ORGANISER)

    (draft,) = _items(session)
    assert draft.submitted_by == f"slack:{ORGANISER}"


def test_outside_the_help_channels_nothing_is_read(client, slack, thread, session):
    _react(client, ASKER, channel="CGENERAL1")

    assert slack.calls_to("conversations.replies") == []
    assert _items(session) == []


def test_marking_twice_keeps_one_draft(client, slack, thread, session):
    _react(client, ASKER)
    _react(client, ORGANISER)

    assert len(_items(session)) == 1


def _message_event(client, **fields):
    event = {"type": "message", "channel": HELP, "channel_type": "channel", **fields}
    return post_event(client, event, event_id=f"EvEdit{next(_numbers)}")


def test_an_edit_in_slack_edits_the_item_and_a_deletion_removes_it(
    client, slack, thread, runner, session
):
    _react(client, ASKER)
    (draft,) = _items(session)
    runner.invoke(args=["kb", "approve", str(draft.id)])

    edited = {"ts": "500.1", "user": ANSWERER, "text": "Use a schema registry and fail CI."}
    _message_event(client, subtype="message_changed", message=edited)
    (item,) = _items(session)
    assert item.body_text == "Use a schema registry and fail CI."
    assert PERMALINK in _cited_urls(runner, "schema registry")

    _message_event(client, subtype="message_deleted", deleted_ts="500.1")
    (item,) = _items(session)
    assert item.status == ItemStatus.DELETED
    assert PERMALINK not in _cited_urls(runner, "schema registry")


def _shortcut(client, slack, callback_id: str, user: str):
    payload = {
        "type": "message_action",
        "callback_id": callback_id,
        "user": {"id": user},
        "team": {"id": "T1"},
        "channel": {"id": HELP},
        "message": {"type": "message", "ts": "500.1", "user": ANSWERER, "text": ANSWER},
        "response_url": slack.response_url,
    }
    return post_interaction(client, payload)


def test_the_mark_as_answer_shortcut_drafts_the_thread(client, slack, thread, session):
    _shortcut(client, slack, "mark_as_answer", ASKER)

    (draft,) = _items(session)
    assert draft.status == ItemStatus.PENDING
    (reply,) = slack.calls_to("T1")
    assert "waits for an organiser" in reply["text"]


def test_only_the_author_or_an_organiser_removes_a_collected_answer(client, slack, thread, session):
    _react(client, ASKER)

    _shortcut(client, slack, "remove_from_knowledge_base", STRANGER)
    assert _items(session)[0].status == ItemStatus.PENDING
    _shortcut(client, slack, "remove_from_knowledge_base", ANSWERER)
    assert _items(session)[0].status == ItemStatus.DELETED
    replies = [call["text"] for call in slack.calls_to("T1")]
    assert replies == [
        "Only its author or an organiser can remove it.",
        "Removed from the knowledge base.",
    ]


def test_a_reaction_delivered_twice_drafts_and_tells_once(client, slack, thread, session):
    event = {
        "type": "reaction_added",
        "user": ASKER,
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": HELP, "ts": "500.1"},
    }
    post_event(client, event, event_id="EvSame")
    post_event(client, event, event_id="EvSame", headers={"X-Slack-Retry-Num": "1"})

    assert len(_items(session)) == 1
    assert len(slack.calls_to("chat.postEphemeral")) == 1


def test_the_weeks_newsletter_lists_the_threads_solved_that_week(
    app, client, slack, thread, runner, session
):
    # Answered a minute ago: the newsletter counts a thread as new by when it was answered.
    asked, answered = (f"{time.time() - seconds:.6f}" for seconds in (120, 60))
    slack.threads[(HELP, asked)] = [
        {"ts": asked, "user": ASKER, "text": QUESTION},
        {"ts": answered, "user": ANSWERER, "text": ANSWER},
    ]
    _react(client, ASKER, ts=answered)
    (draft,) = _items(session)
    runner.invoke(args=["kb", "approve", str(draft.id)])
    week = issue_week(app).isoformat()

    built = json.loads(runner.invoke(args=["newsletter", "build", "--week", week, "--json"]).stdout)
    preview = runner.invoke(args=["newsletter", "preview", str(built["issue"]), "--json"])
    text = json.loads(preview.stdout)["text"]

    assert "Solved in Slack this week" in text
    assert draft.title in " ".join(text.split())
    assert f"https://example.slack.com/archives/{HELP}/p{answered.replace('.', '')}" in text


def test_an_organiser_edits_the_draft_on_the_web_then_approves_it(
    client, slack, thread, runner, session
):
    _react(client, ASKER)
    (draft,) = _items(session)
    add_organiser(session)
    log_in(client)

    queue = client.get("/admin/curation").get_data(as_text=True)
    assert "Grace Hopper" in queue and "Edit" in queue
    form = client.get(f"/admin/curation/{draft.id}/edit").get_data(as_text=True)
    assert "data contract" in form  # starts from the marked reply
    refused = client.post(
        f"/admin/curation/{draft.id}/edit",
        data={"csrf_token": csrf_token(form), "title": "", "body": "x"},
    )
    assert refused.status_code == 400
    client.post(
        f"/admin/curation/{draft.id}/edit",
        data={
            "csrf_token": csrf_token(form),
            "title": "Catching renamed upstream columns before training",
            "body": "Agree a **data contract**; check the schema in CI. <script>x()</script>",
        },
    )

    (edited,) = _items(session)
    assert edited.title == "Catching renamed upstream columns before training"
    assert (
        "<strong>data contract</strong>" in edited.body_html and "<script>" not in edited.body_html
    )
    assert edited.status == ItemStatus.PENDING
    runner.invoke(args=["kb", "approve", str(draft.id)])
    assert client.get(f"/admin/curation/{draft.id}/edit").status_code == 404  # decided now
