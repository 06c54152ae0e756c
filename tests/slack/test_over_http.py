"""Signed Slack requests over a real HTTP server, with listeners on Bolt's own thread pool
as in production: the acknowledgement goes back first and the answer follows."""

import json
import threading
import time

import httpx
import pytest
from sqlmodel import select

from community.models import SlackEventReceipt
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack import BOT_USER_ID, FakeSlack, signed_headers

QUESTION = "how do I detect model drift in production?"
ANSWER_DEADLINE_SECONDS = 10
# Only against hangs; Slack itself gives up after 3 s, the bench measures the real figure.
REQUEST_TIMEOUT_SECONDS = 5


class SlowSlack(FakeSlack):
    """Holds chat.postMessage until the test opens the gate, as a slow Slack would."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()
        self.gate.set()

    def _reply(self, method: str, arguments: dict):
        if method == "chat.postMessage":
            self.gate.wait(timeout=ANSWER_DEADLINE_SECONDS)
        return super()._reply(method, arguments)


@pytest.fixture
def slack():
    with SlowSlack() as fake:
        yield fake
        fake.gate.set()


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SLACK_LISTENER_EXECUTOR": None}  # None: Bolt's default pool


@pytest.fixture
def server_url(live_server):
    return live_server


def _event_body(event_id: str, question: str = QUESTION, ts: str = "100.1") -> str:
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{BOT_USER_ID}> {question}",
        "channel": "C1",
        "ts": ts,
    }
    return json.dumps(
        {"type": "event_callback", "team_id": "T1", "event_id": event_id, "event": event}
    )


def _post(server_url: str, body: str, headers: dict) -> httpx.Response:
    return httpx.post(
        f"{server_url}/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )


def _deliver(server_url: str, body: str, **extra_headers) -> httpx.Response:
    return _post(server_url, body, {**signed_headers(SIGNING_SECRET, body), **extra_headers})


def _answers(slack: FakeSlack, count: int) -> list[dict]:
    """The chat.postMessage calls, once `count` have arrived or the deadline has passed."""
    deadline = time.monotonic() + ANSWER_DEADLINE_SECONDS
    while len(slack.calls_to("chat.postMessage")) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return slack.calls_to("chat.postMessage")


def test_a_mention_is_acknowledged_before_its_answer_is_posted_in_the_thread(
    server_url, slack, demo
):
    slack.gate.clear()

    response = _deliver(server_url, _event_body("Ev1"))

    assert response.status_code == 200
    slack.gate.set()
    (message,) = _answers(slack, 1)
    assert (message["channel"], message["thread_ts"]) == ("C1", "100.1")
    assert "Detecting Model Drift in Production" in json.dumps(message["blocks"])


def test_a_retried_delivery_is_not_answered_again(server_url, slack, demo, session):
    body = _event_body("Ev42")
    _deliver(server_url, body)
    _answers(slack, 1)

    retry = _deliver(server_url, body, **{"X-Slack-Retry-Num": "1"})
    # Bolt's pool starts listeners in arrival order, so by the time a later event is
    # answered, an answer to the retry would have been posted as well.
    _deliver(server_url, _event_body("Ev43", "what is a feature store?", ts="100.2"))
    messages = _answers(slack, 2)

    assert retry.status_code == 200
    assert sorted(message["thread_ts"] for message in messages) == ["100.1", "100.2"]
    receipts = session.exec(select(SlackEventReceipt.event_id)).all()
    assert sorted(receipts) == ["Ev42", "Ev43"]


def test_forged_and_stale_requests_are_refused_and_leave_no_trace(server_url, slack, demo, session):
    calls_before = list(slack.calls)
    forged_body, stale_body = _event_body("EvForged"), _event_body("EvStale")
    six_minutes_ago = int(time.time()) - 6 * 60

    forged = _post(server_url, forged_body, signed_headers("not-the-secret", forged_body))
    stale = _post(
        server_url,
        stale_body,
        signed_headers(SIGNING_SECRET, stale_body, timestamp=six_minutes_ago),
    )

    assert (forged.status_code, stale.status_code) == (401, 401)
    # A genuine event afterwards: once it is answered, anything the refused ones had set
    # off would have reached Slack too.
    _deliver(server_url, _event_body("EvGenuine", ts="100.9"))
    (message,) = _answers(slack, 1)
    assert message["thread_ts"] == "100.9"
    assert [method for method, _ in slack.calls[len(calls_before) :]] == ["chat.postMessage"]
    receipts = session.exec(select(SlackEventReceipt.event_id)).all()
    assert receipts == ["EvGenuine"]
