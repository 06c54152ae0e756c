"""The week's gaps: unanswered, unhelpful and escalated questions, grouped, as work to do."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from sqlmodel import select

from community.answers.feedback import record_feedback
from community.answers.gaps import ESCALATED
from community.answers.jobs import post_gap_report
from community.answers.service import record_unanswered
from community.knowledge.solved_threads import SolvedThread, draft_solved_thread
from community.models import ContentItem, UnansweredQuestion
from community.models.types import utcnow
from tests.helpers import csrf_token, deliver_outbox

ORGANISERS = "CORGS0001"
GPU = "how do I monitor GPU memory in kubernetes?"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SLACK_ORGANISERS_CHANNEL": ORGANISERS}


def _unanswered(session, question: str, times: int = 1) -> None:
    for _ in range(times):
        record_unanswered(
            session=session, question=question, asked_via="slack", asked_by="U1", score=None
        )
    session.commit()


def _unhelpful(session, question: str, doc_ids: list[str], reason: str | None = None) -> None:
    record_feedback(
        session=session,
        question=question,
        doc_ids=doc_ids,
        helpful=False,
        given_by="U2",
        reason=reason,
    )
    session.commit()


def _drift_item_id(session) -> int:
    items = session.exec(select(ContentItem)).all()
    return next(item.id for item in items if item.title.startswith("Detecting Model Drift"))


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">(.*?)</li>', html, flags=re.S)


def test_questions_asking_the_same_thing_are_one_gap_with_every_signal(
    client, demo, session, organiser
):
    _unanswered(session, GPU, times=2)
    _unanswered(session, "Monitoring GPU memory on kubernetes pods")
    _unhelpful(session, "gpu memory monitoring for kubernetes", [f"item:{_drift_item_id(session)}"])
    _unhelpful(session, "kubernetes GPU memory monitor?", [], reason=ESCALATED)
    _unanswered(session, "best sourdough hydration for baguettes?")

    first, second = _cards(client.get("/admin/gaps").get_data(as_text=True))

    assert GPU in first and '<span class="times">5×</span>' in first
    assert "escalated, not helpful, unanswered" in first
    assert "Detecting Model Drift in Production" in first  # what the bot offered
    assert "sourdough" in second and "1×" in second


def test_a_gap_only_feedback_revealed_becomes_an_faq_entry(client, demo, session, organiser):
    question = "which GPU instance is cheapest for fine-tuning?"
    _unhelpful(session, question, [])
    page = client.get("/admin/gaps").get_data(as_text=True)

    opened = client.post(
        "/admin/gaps/faq", data={"csrf_token": csrf_token(page), "question": question}
    )
    form = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert question in form
    client.post(
        opened.headers["Location"],
        data={
            "csrf_token": csrf_token(form),
            "question": "Which GPU instance is cheapest for fine-tuning?",
            "answer": "Spot A10G instances usually cost least for fine-tuning small models.",
        },
    )

    session.expire_all()
    assert session.exec(select(UnansweredQuestion)).one().resolved_at is not None
    assert any(
        item.kind == "faq" and "GPU" in item.title for item in session.exec(select(ContentItem))
    )


def test_a_solved_thread_waiting_for_review_is_offered_for_its_gap(
    client, demo, session, organiser
):
    _unanswered(session, GPU)
    thread = SolvedThread(
        channel="CHELP0001",
        channel_name="help",
        question="GPU memory keeps growing in our kubernetes pods, how to monitor it?",
        answer="Run the DCGM exporter and alert on memory per pod.",
        answer_ts="900.1",
        answerer="Grace",
        permalink=None,
        marked_by="U1",
    )
    draft_solved_thread(session, thread)
    session.commit()

    (card,) = _cards(client.get("/admin/gaps").get_data(as_text=True))
    assert "Review the solved thread" in card and "GPU memory keeps growing" in card
    review = unescape(re.search(r'href="([^"]+)">Review the solved thread', card).group(1))
    queue = client.get(review).get_data(as_text=True)
    assert "Run the DCGM exporter" in queue  # the curation queue's page that shows it


def test_only_the_last_week_counts(client, demo, session, organiser):
    with time_machine.travel(utcnow() - timedelta(days=10)):
        _unanswered(session, GPU)

    assert _cards(client.get("/admin/gaps").get_data(as_text=True)) == []
    assert len(_cards(client.get("/admin/gaps?days=14").get_data(as_text=True))) == 1


def test_the_weekly_report_is_posted_to_the_organisers_channel(app, slack, demo, session):
    _unanswered(session, GPU, times=3)

    with app.app_context():
        post_gap_report()
    deliver_outbox(app)

    (posted,) = [c for c in slack.calls_to("chat.postMessage") if c["channel"] == ORGANISERS]
    assert (
        "1 gap in the knowledge base" in posted["text"]
        and GPU in posted["text"]
        and "3×" in posted["text"]
    )
    assert "http://localhost/admin/gaps" in posted["text"]


def test_without_an_organisers_channel_nothing_is_posted(make_app, slack, session):
    app = make_app(SLACK_ORGANISERS_CHANNEL=None)
    _unanswered(session, GPU)

    with app.app_context():
        post_gap_report()
    deliver_outbox(app)

    assert slack.calls_to("chat.postMessage") == []
