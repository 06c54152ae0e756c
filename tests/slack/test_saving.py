"""The "Save to knowledge base" shortcut sends a message's link to the curation queue."""

import pytest
from sqlmodel import select

from community.models import ContentItem, ItemStatus
from tests.local_http import FeedServer
from tests.slack.signed_requests import post_interaction

PAGE = b"""<html><head><meta property="og:title" content="Evaluating retrieval for RAG">
<link rel="canonical" href="https://blog.example.org/rag-eval"></head><body></body></html>"""


@pytest.fixture
def app_config(app_config):
    return {**app_config, "FEEDS_ALLOW_PRIVATE_NETWORKS": True}


@pytest.fixture
def pages():
    with FeedServer() as server:
        server.serve("/rag", PAGE, headers={"Content-Type": "text/html"})
        yield server


def _shortcut(client, slack, text: str):
    payload = {
        "type": "message_action",
        "callback_id": "save_to_knowledge_base",
        "trigger_id": "t1",
        "user": {"id": "U7"},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "message": {"type": "message", "text": text, "ts": "300.1", "user": "U2"},
        "response_url": slack.response_url,
    }
    return post_interaction(client, payload)


def test_a_saved_link_waits_for_organisers_and_the_saver_is_told(client, slack, pages, session):
    response = _shortcut(client, slack, f"Worth reading: <{pages.url('/rag')}|this post>")

    assert response.status_code == 200
    item = session.exec(select(ContentItem)).one()
    assert (item.title, item.status) == ("Evaluating retrieval for RAG", ItemStatus.PENDING)
    assert item.submitted_by == "slack:U7"
    (reply,) = slack.calls_to("T1")
    assert reply["response_type"] == "ephemeral"
    assert "Organisers will review it" in reply["text"]


def test_saving_a_message_without_a_link_explains_why_nothing_was_saved(client, slack, session):
    _shortcut(client, slack, "no links here, just thoughts")

    (reply,) = slack.calls_to("T1")
    assert reply["text"] == "That message has no link to save."
    assert session.exec(select(ContentItem)).all() == []


def test_a_link_that_cannot_be_fetched_is_reported_to_the_saver(client, slack, pages, session):
    _shortcut(client, slack, pages.url("/missing"))

    (reply,) = slack.calls_to("T1")
    assert "could not save" in reply["text"]
    assert session.exec(select(ContentItem)).all() == []
