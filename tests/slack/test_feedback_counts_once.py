"""A member's Helpful / Not helpful counts once per answer, and their last click is what counts."""

import json

from sqlmodel import select

from community.models import AnswerFeedback
from community.models.types import utcnow
from community.newsletter.digest import issue_week_for
from community.newsletter.issues import sending_schedule
from tests.helpers import add_organiser, log_in
from tests.slack.fake_slack import BOT_USER_ID
from tests.slack.signed_requests import post_event, post_interaction
from tests.slack.test_asking import QUESTION

# The attack of issue #17: a member's own words, with a link, that the bot still answers.
SCAM = "URGENT: how do I detect model drift in production? https://drift.example/login"


def _ask(client, slack, text: str = QUESTION, *, ts: str = "100.1") -> dict:
    """Mentions the bot; the feedback buttons of its answer, by action id."""
    event = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": ts}
    post_event(client, {**event, "text": f"<@{BOT_USER_ID}> {text}"}, event_id=f"Ev{ts}")
    answer = slack.calls_to("chat.postMessage")[-1]
    actions = next(block for block in answer["blocks"] if block["type"] == "actions")
    return {button["action_id"]: button["value"] for button in actions["elements"]}


def _click(client, slack, action_id: str, value: str, *, user: str = "U5"):
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "response_url": slack.response_url,
        "actions": [{"type": "button", "action_id": action_id, "value": value}],
    }
    assert post_interaction(client, payload).status_code == 200


def _give_reason(client, slack, reason: str, *, user: str = "U5") -> None:
    opened = slack.calls_to("views.open")[-1]
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    submission = {
        "id": "V1",
        "type": "modal",
        "callback_id": "answer_feedback_reason",
        "private_metadata": view["private_metadata"],
        "state": {"values": {"reason": {"text": {"value": reason}}}},
    }
    payload = {"type": "view_submission", "user": {"id": user}, "team": {"id": "T1"}}
    assert post_interaction(client, {**payload, "view": submission}).status_code == 200


def _verdicts(session) -> list[tuple[str, bool]]:
    session.expire_all()  # a replaced verdict may come back under the same id
    rows = session.exec(select(AnswerFeedback).order_by(AnswerFeedback.given_by)).all()
    return [(row.given_by, row.helpful) for row in rows]


def test_five_helpful_clicks_by_one_member_count_as_one_verdict(client, slack, demo, session):
    buttons = _ask(client, slack)

    for _ in range(5):
        _click(client, slack, "answer_helpful", buttons["answer_helpful"])
    _click(client, slack, "answer_helpful", buttons["answer_helpful"], user="U6")

    assert _verdicts(session) == [("U5", True), ("U6", True)]
    assert len(slack.calls_to("T1")) == 6  # every click is still thanked


def test_the_last_click_is_the_members_verdict(client, slack, demo, session):
    buttons = _ask(client, slack)

    _click(client, slack, "answer_helpful", buttons["answer_helpful"])
    _click(client, slack, "answer_not_helpful", buttons["answer_not_helpful"])
    assert _verdicts(session) == [("U5", False)]  # even before a reason is given, or none

    _give_reason(client, slack, "Nothing about drift in embeddings")
    session.expire_all()
    (verdict,) = session.exec(select(AnswerFeedback)).all()
    assert (verdict.helpful, verdict.reason) == (False, "Nothing about drift in embeddings")

    _click(client, slack, "answer_helpful", buttons["answer_helpful"])
    assert _verdicts(session) == [("U5", True)]


def test_asking_the_same_question_again_gives_no_second_vote(client, slack, demo, session):
    first = _ask(client, slack, QUESTION, ts="100.1")
    second = _ask(client, slack, f"  {QUESTION.upper()} ", ts="200.1")

    _click(client, slack, "answer_helpful", first["answer_helpful"])
    _click(client, slack, "answer_helpful", second["answer_helpful"])

    assert _verdicts(session) == [("U5", True)]


def test_the_organisers_helpful_rate_counts_members_not_clicks(client, slack, demo, session):
    buttons = _ask(client, slack)
    for _ in range(3):
        _click(client, slack, "answer_helpful", buttons["answer_helpful"])
    _click(client, slack, "answer_not_helpful", buttons["answer_not_helpful"], user="U6")
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/answer-feedback").get_data(as_text=True)

    assert '<span class="stat" id="helpful-rate">50%</span>' in page
    assert '<span class="stat">2</span> verdicts from members' in page


def test_one_members_clicks_do_not_put_their_words_in_the_newsletter(
    app, client, runner, slack, demo
):
    buttons = _ask(client, slack, SCAM)
    for _ in range(5):
        _click(client, slack, "answer_helpful", buttons["answer_helpful"])

    with app.app_context():
        week = issue_week_for(utcnow(), sending_schedule())  # the issue that counts today's votes
    built = runner.invoke(args=["newsletter", "build", "--week", str(week), "--json"])
    issue = json.loads(built.stdout)["issue"]
    preview = json.loads(runner.invoke(args=["newsletter", "preview", str(issue), "--json"]).stdout)

    for version in (preview["text"], preview["html"]):
        assert "Answers members found helpful" not in version
        assert "drift.example" not in version and "URGENT" not in version
