"""The issue's most helpful answers: several members' verdicts, and no member's words unreviewed."""

import json
import re

import pytest
from sqlmodel import select

from community.answers.feedback import record_feedback
from community.models import ContentItem, ItemStatus
from community.newsletter.jobs import send_pending_issues
from tests.helpers import csrf_token
from tests.mail_server import plain_text
from tests.newsletter.conftest import PUBLIC_URL, issue_week

HEADING = "Answers members found helpful"
SCAM = "URGENT: verify your account at https://scam.example/login or at scam.example/help"
DRIFT = "how do I detect model drift in production?"


@pytest.fixture
def week(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    return issue_week(app).isoformat()


@pytest.fixture
def items(session, week) -> list[int]:
    """Ids of published demo items, for answers to cite."""
    published = select(ContentItem.id).where(ContentItem.status == ItemStatus.PUBLISHED)
    return list(session.exec(published.order_by(ContentItem.id).limit(4)))


def _found_helpful(session, question: str, item_id: int, members: int) -> None:
    """`members` different members mark the answer that cited `item_id` Helpful."""
    for number in range(members):
        record_feedback(
            session=session,
            question=question,
            doc_ids=[f"item:{item_id}"],
            helpful=True,
            given_by=f"U{number:03d}",
        )
    session.commit()


def _build(runner, week: str) -> int:
    result = runner.invoke(args=["newsletter", "build", "--week", week, "--json"])
    return json.loads(result.stdout)["issue"]


def _preview(runner, issue: int) -> dict:
    return json.loads(runner.invoke(args=["newsletter", "preview", str(issue), "--json"]).stdout)


def _helpful_section(text: str) -> str:
    """The text version's helpful answers: the last section before the footer here."""
    assert HEADING in text, text
    return text.split(HEADING, 1)[1].split("\n--\n", 1)[0]


def _cited_in(section: str) -> list[int]:
    return [int(item_id) for item_id in re.findall(rf"{PUBLIC_URL}/items/(\d+)", section)]


def _review_button(client, issue: int, question: str, decision: str) -> tuple[str, str]:
    """The address of a button in the draft page's row for `question`, and the form token."""
    page = client.get(f"/admin/newsletter/{issue}").get_data(as_text=True)
    row = re.search(rf'<tr id="answer-(\d+)">\s*<td>{re.escape(question)}</td>', page)
    assert row, "the draft page does not list this question"
    address = f"/admin/newsletter/{issue}/answers/{row.group(1)}/{decision}"
    assert f'action="{address}"' in page
    return address, csrf_token(page)


def _review(client, issue: int, question: str, decision: str) -> None:
    address, token = _review_button(client, issue, question, decision)
    assert client.post(address, data={"csrf_token": token}).status_code == 302


def test_an_answer_needs_three_different_members_to_be_among_the_most_helpful(
    client, runner, session, week, items, organiser
):
    _found_helpful(session, DRIFT, items[0], members=2)
    issue = _build(runner, week)
    assert HEADING not in _preview(runner, issue)["text"]

    _found_helpful(session, DRIFT, items[0], members=3)
    page = client.get(f"/admin/newsletter/{issue}").get_data(as_text=True)
    client.post(f"/admin/newsletter/{issue}", data={"intro": "", "csrf_token": csrf_token(page)})

    section = _helpful_section(_preview(runner, issue)["text"])
    assert "3 members found it helpful" in section
    assert _cited_in(section) == [items[0]]


def test_the_minimum_number_of_members_is_a_setting(make_app, session, week, items):
    _found_helpful(session, DRIFT, items[0], members=2)
    runner = make_app(NEWSLETTER_HELPFUL_MIN_MEMBERS=2).test_cli_runner()

    section = _helpful_section(_preview(runner, _build(runner, week))["text"])

    assert "2 members found it helpful" in section


def test_an_unreviewed_question_shows_as_the_items_its_answer_cited(
    client, runner, session, week, items, organiser
):
    _found_helpful(session, SCAM, items[0], members=3)
    title = session.get(ContentItem, items[0]).title

    issue = _build(runner, week)

    preview = _preview(runner, issue)
    assert f"{title}: {PUBLIC_URL}/items/{items[0]}" in _helpful_section(preview["text"])
    for version in (preview["text"], preview["html"]):
        assert "scam.example" not in version and "URGENT" not in version
    page = client.get(f"/admin/newsletter/{issue}").get_data(as_text=True)
    assert re.search(r"<td>URGENT: verify your account at https://scam.example/login", page)
    assert "not reviewed" in page


def test_an_approved_question_is_quoted_in_the_email(
    client, runner, session, week, items, organiser
):
    _found_helpful(session, DRIFT, items[0], members=3)
    issue = _build(runner, week)

    _review(client, issue, DRIFT, "approve")

    section = _helpful_section(_preview(runner, issue)["text"])
    assert '"how do I detect model drift in production?" — 3 members found it helpful' in section


def test_approved_words_carry_no_link_into_the_email(
    app, client, runner, session, week, items, organiser, subscribers, mail_server
):
    subscribers("ada@example.org")
    _found_helpful(session, SCAM, items[0], members=3)
    issue = _build(runner, week)
    _review(client, issue, SCAM, "approve")

    page = client.get(f"/admin/newsletter/{issue}").get_data(as_text=True)
    client.post(f"/admin/newsletter/{issue}/send", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        send_pending_issues()

    (delivered,) = mail_server.to("ada@example.org")
    text, html = plain_text(delivered), delivered.get_body(("html",)).get_content()
    assert "URGENT: verify your account at [link removed] or at scam." in text
    for version in (text, html):
        assert "https://scam" not in version and "scam.example" not in version
    assert "[link removed]" in html


def test_a_dropped_answer_is_not_sent_and_the_next_one_moves_up(
    app, client, runner, session, week, items, organiser, subscribers, mail_server
):
    subscribers("ada@example.org")
    questions = [f"question number {number}" for number in range(4)]
    for number, (question, item_id) in enumerate(zip(questions, items, strict=True)):
        _found_helpful(session, question, item_id, members=6 - number)
    issue = _build(runner, week)
    assert _cited_in(_helpful_section(_preview(runner, issue)["text"])) == items[:3]

    _review(client, issue, questions[0], "drop")

    page = client.get(f"/admin/newsletter/{issue}").get_data(as_text=True)
    assert "dropped: not sent" in page and "Put back" in page
    client.post(f"/admin/newsletter/{issue}/send", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        send_pending_issues()
    (delivered,) = mail_server.to("ada@example.org")
    assert _cited_in(_helpful_section(plain_text(delivered))) == items[1:]


def test_an_issue_being_sent_takes_no_more_reviews(client, runner, session, week, items, organiser):
    _found_helpful(session, DRIFT, items[0], members=3)
    issue = _build(runner, week)
    approve, token = _review_button(client, issue, DRIFT, "approve")
    client.post(f"/admin/newsletter/{issue}/send", data={"csrf_token": token})

    page = client.post(approve, data={"csrf_token": token}, follow_redirects=True)

    assert "only a draft can be edited" in page.get_data(as_text=True)
    assert DRIFT not in _preview(runner, issue)["text"]
