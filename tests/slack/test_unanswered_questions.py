"""Members' unanswered questions: counted once each, and turned into FAQ entries by organisers."""

import json
import re
from html import unescape

from sqlmodel import select

from community.models import ContentItem, UnansweredQuestion
from tests.helpers import add_organiser, csrf_token, log_in
from tests.slack.fake_slack import BOT_USER_ID
from tests.slack.signed_requests import post_event

QUESTION = "what coffee grinder should the meetup host buy?"


def _ask(client, text: str, user: str, event_id: str):
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER_ID}> {text}"}
    post_event(client, {**event, "channel": "C1", "ts": "100.1"}, event_id=event_id)


def _open_questions(session) -> list[UnansweredQuestion]:
    session.expire_all()
    statement = select(UnansweredQuestion).where(UnansweredQuestion.resolved_at.is_(None))
    return list(session.exec(statement))


def test_the_same_question_asked_again_is_one_row_counting_both(client, slack, demo, session):
    _ask(client, QUESTION, "U1", "Ev1")
    _ask(client, "  What coffee grinder should the meetup   host buy? ", "U2", "Ev2")

    (question,) = _open_questions(session)
    assert question.times_asked == 2
    assert question.last_asked_at >= question.created_at


def test_an_organiser_answers_it_as_an_faq_entry_and_the_bot_then_answers(
    client, slack, demo, session
):
    _ask(client, QUESTION, "U1", "Ev1")
    (question,) = _open_questions(session)
    add_organiser(session)
    log_in(client)

    listed = client.get("/admin/questions").get_data(as_text=True)
    assert QUESTION in listed and "Answer as FAQ" in listed
    form = client.get(f"/admin/questions/{question.id}/faq").get_data(as_text=True)
    assert QUESTION in form  # the form starts from the member's words
    refused = client.post(
        f"/admin/questions/{question.id}/faq",
        data={"csrf_token": csrf_token(form), "question": QUESTION, "answer": ""},
    )
    assert refused.status_code == 400 and _open_questions(session)

    client.post(
        f"/admin/questions/{question.id}/faq",
        data={
            "csrf_token": csrf_token(form),
            "question": "Which coffee grinder should a meetup host buy?",
            "answer": "A burr grinder: a coffee grinder with burrs keeps every cup even.",
        },
    )

    assert _open_questions(session) == []
    entry = session.exec(select(ContentItem).where(ContentItem.kind == "faq")).all()
    assert any(item.title.startswith("Which coffee grinder") for item in entry)
    _ask(client, QUESTION, "U3", "Ev3")
    reply = slack.calls_to("chat.postMessage")[-1]
    assert "Which coffee grinder should a meetup host buy?" in json.dumps(reply["blocks"])
    assert _open_questions(session) == []  # answered now, so not recorded again


def _next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def test_every_open_question_is_reached_page_by_page(client, session):
    for number in range(1, 121):  # the most asked first: question 120 leads, question 1 is last
        question = f"question number {number}?"
        session.add(UnansweredQuestion(question=question, asked_via="slack", times_asked=number))
    session.commit()
    add_organiser(session)
    log_in(client)

    html = client.get("/admin/questions").get_data(as_text=True)
    assert "question number 120?" in html and "question number 1?" not in html
    seen = set(re.findall(r"question number (\d+)\?", html))
    while (link := _next_link(html)) is not None:
        html = client.get(link).get_data(as_text=True)
        assert 'rel="prev"' in html
        seen |= set(re.findall(r"question number (\d+)\?", html))

    assert "question number 1?" in html
    assert seen == {str(number) for number in range(1, 121)}
