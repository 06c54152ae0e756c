"""Pages that trickle their body, saved with "Save to knowledge base", over real HTTP with
Bolt's own thread pool and the link-save pool as in production: Slack's other requests are
still acknowledged and answered in time, and each member hears how their saves went."""

import itertools
import json
import time
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from community.models import ContentItem
from tests.local_http import FeedServer
from tests.slack.fake_slack import BOT_USER_ID, signed_headers
from tests.slack.signed_requests import SIGNING_SECRET
from tests.slack.test_asking import QUESTION
from tests.slack.test_saving import PAGE

SAVE_SECONDS = 2
SLACK_ACK_SECONDS = 3  # Slack gives up on a request it has no acknowledgement for by then
ANSWER_SECONDS = 15  # only against hangs
_requests = itertools.count(1)


@pytest.fixture
def app_config(app_config, request):
    return {
        **app_config,
        "SLACK_LISTENER_EXECUTOR": None,  # Bolt's pool and the save pool, as in production
        "SLACK_SAVE_EXECUTOR": None,
        "SLACK_SAVE_SECONDS": SAVE_SECONDS,
        "FEEDS_ALLOW_PRIVATE_NETWORKS": True,
        **getattr(request, "param", {}),
    }


@pytest.fixture
def pages():
    with FeedServer() as server:
        server.serve("/rag", PAGE, headers={"Content-Type": "text/html"})

        @server.route("/trickle")
        def trickle(request):
            request.send_response(200)
            request.send_header("Content-Type", "text/html")
            request.end_headers()
            request.wfile.write(b"<html><head><title>")
            while not server.stop.wait(0.2):
                request.wfile.write(b"a")

        yield server


@pytest.fixture
def saves_settled(app, pages):
    """At the end, the trickling page lets go and the saves still running finish."""
    yield
    pages.stop.set()
    if saves := app.extensions.get("slack_link_saves"):
        saves.shutdown(wait=True)


def _post(live_server: str, body: str) -> httpx.Response:
    return httpx.post(
        f"{live_server}/slack/events",
        content=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            **signed_headers(SIGNING_SECRET, body),
        },
        timeout=SLACK_ACK_SECONDS,
    )


def _save(live_server: str, slack, member: str, url: str, *, reply_to: str) -> httpx.Response:
    payload = {
        "type": "message_action",
        "callback_id": "save_to_knowledge_base",
        "trigger_id": f"trigger-{next(_requests)}",
        "user": {"id": member},
        "team": {"id": "T1"},
        "channel": {"id": "C1"},
        "message": {"type": "message", "text": f"Look: <{url}>", "ts": "300.1", "user": "U2"},
        "response_url": slack.response_url.replace("/T1", f"/{reply_to}"),
    }
    return _post(live_server, urlencode({"payload": json.dumps(payload)}))


def _ask(live_server: str, slack, *, reply_to: str) -> httpx.Response:
    command = {
        "command": "/ask",
        "text": QUESTION,
        "user_id": "U1",
        "channel_id": "C1",
        "team_id": "T1",
        "response_url": slack.response_url.replace("/T1", f"/{reply_to}"),
        "trigger_id": f"trigger-{next(_requests)}",
    }
    return _post(live_server, urlencode(command))


def _mention(live_server: str, ts: str) -> httpx.Response:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER_ID}> {QUESTION}",
        "channel": "C1",
        "ts": ts,
    }
    body = json.dumps(
        {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{ts}", "event": event}
    )
    return httpx.post(
        f"{live_server}/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **signed_headers(SIGNING_SECRET, body)},
        timeout=SLACK_ACK_SECONDS,
    )


def _reply(slack, reply_to: str, within: float = ANSWER_SECONDS) -> dict | None:
    """What was said at the response_url named `reply_to`, once it has arrived."""
    deadline = time.monotonic() + within
    while not slack.calls_to(reply_to) and time.monotonic() < deadline:
        time.sleep(0.02)
    replies = slack.calls_to(reply_to)
    return replies[0] if replies else None


def _posted_in_thread(slack, ts: str) -> dict | None:
    deadline = time.monotonic() + ANSWER_SECONDS
    while time.monotonic() < deadline:
        posts = [m for m in slack.calls_to("chat.postMessage") if m.get("thread_ts") == ts]
        if posts:
            return posts[0]
        time.sleep(0.02)
    return None


# No save ends before the test does, however slowly the requests go out.
@pytest.mark.parametrize("app_config", [{"SLACK_SAVE_SECONDS": 60}], indirect=True)
def test_trickling_saves_leave_slacks_other_requests_acknowledged_and_answered(
    live_server, slack, demo, pages, saves_settled
):
    # More saves than Bolt has threads, two from each of six members.
    saves = [
        _save(live_server, slack, f"U{n % 6}", pages.url(f"/trickle?{n}"), reply_to=f"save-{n}")
        for n in range(12)
    ]

    ask = _ask(live_server, slack, reply_to="ask")
    mention = _mention(live_server, ts="100.1")

    assert [save.status_code for save in saves] == [200] * 12
    assert (ask.status_code, ask.text) == (200, "Looking that up…")
    assert mention.status_code == 200
    answer = _reply(slack, "ask")
    assert answer is not None and "Detecting Model Drift in Production" in json.dumps(answer)
    in_thread = _posted_in_thread(slack, "100.1")
    assert in_thread is not None and "Detecting Model Drift" in json.dumps(in_thread["blocks"])
    # The pool holds ten saves; the last two are asked to come back rather than left waiting.
    for n in (10, 11):
        told = _reply(slack, f"save-{n}", within=SLACK_ACK_SECONDS)
        assert told is not None and "Please try again in a minute" in told["text"]


def test_a_page_that_trickles_its_body_is_cut_off_and_the_member_told(
    live_server, slack, pages, session, saves_settled
):
    url = pages.url("/trickle")

    _save(live_server, slack, "U7", url, reply_to="save")

    told = _reply(slack, "save", within=SAVE_SECONDS + 5)
    assert told is not None
    assert told["response_type"] == "ephemeral"
    assert f"I could not save {url}" in told["text"]
    assert f"took longer than {SAVE_SECONDS} s" in told["text"]
    assert session.exec(select(ContentItem)).all() == []


# Long enough that the first two saves are surely still in flight when the third comes.
@pytest.mark.parametrize("app_config", [{"SLACK_SAVE_SECONDS": 5}], indirect=True)
def test_a_member_with_two_saves_in_flight_is_asked_to_wait_then_saves_again(
    live_server, slack, pages, session, saves_settled
):
    for n in range(2):
        _save(live_server, slack, "U7", pages.url(f"/trickle?{n}"), reply_to=f"slow-{n}")

    _save(live_server, slack, "U7", pages.url("/rag"), reply_to="third")
    _save(live_server, slack, "U8", pages.url("/rag"), reply_to="someone-else")

    told = _reply(slack, "third", within=SLACK_ACK_SECONDS)
    assert told is not None and "still saving your earlier links" in told["text"]
    other = _reply(slack, "someone-else")
    assert other is not None and "Organisers will review it" in other["text"]
    for n in range(2):
        slow = _reply(slack, f"slow-{n}")
        assert slow is not None and "could not save" in slow["text"]
    _save(live_server, slack, "U7", pages.url("/rag"), reply_to="again")
    again = _reply(slack, "again")
    assert again is not None and "Organisers will review it" in again["text"]
    item = session.exec(select(ContentItem)).one()  # the page U8 had saved already
    assert item.submitted_by == "slack:U8"
