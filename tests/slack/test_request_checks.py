"""/slack/events does no work for strangers: size, signature and shape are checked on the raw
bytes first, refusals are 401/400/413 and never a 500, and a replayed interaction does
nothing the second time."""

import hashlib
import hmac
import json
import socket
import time
from urllib.parse import urlencode

import httpx
import pytest
from sqlmodel import select

from community.models import AnswerFeedback, SlackEventReceipt
from tests.slack.conftest import SIGNING_SECRET
from tests.slack.fake_slack import signed_headers
from tests.slack.signed_requests import post_event
from tests.slack.test_asking import _mention
from tests.slack.test_feedback import _click, _feedback_buttons, click_payload
from tests.slack.test_over_http import server_url  # noqa: F401  (the fixture)

FORM = "application/x-www-form-urlencoded"
MIB = 1024 * 1024


def _post(url: str, body: bytes | str, content_type: str, headers: dict) -> httpx.Response:
    return httpx.post(
        f"{url}/slack/events",
        content=body,
        headers={"Content-Type": content_type, **headers},
        timeout=5,
    )


def _unanswered_status(url: str, declared_length: int, sent: bytes) -> bytes:
    """Sends headers claiming a huge body but only its first bytes; returns the status line."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: slack.test\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {declared_length}\r\n\r\n".encode()
            + sent
        )
        return connection.recv(200).split(b"\r\n", 1)[0]


def test_a_huge_unsigned_body_is_refused_before_it_is_read(server_url):  # noqa: F811
    started = time.monotonic()

    status_line = _unanswered_status(server_url, 300 * MIB, b"{" * 1000)

    assert b" 413 " in status_line
    assert time.monotonic() - started < 5  # answered without waiting for 300 MiB


def test_a_signed_body_over_one_mebibyte_is_refused(server_url):  # noqa: F811
    body = json.dumps({"type": "event_callback", "padding": "x" * (MIB + 10)})

    response = _post(server_url, body, "application/json", signed_headers(SIGNING_SECRET, body))

    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        ("{not json", "application/json", {}),
        (b"\xff\xfe\x00garbage", "application/octet-stream", {}),
        ("payload=%7B", FORM, {"X-Slack-Signature": "v0=00"}),
        (
            "{}",
            "application/json",
            {"X-Slack-Request-Timestamp": "１２３".encode(), "X-Slack-Signature": "x"},
        ),
        ("{}", "application/json", {"X-Slack-Request-Timestamp": "-5", "X-Slack-Signature": "x"}),
    ],
    ids=["bad-json", "binary", "form-without-timestamp", "unicode-digits", "negative-timestamp"],
)
def test_unsigned_or_forged_bodies_of_any_shape_get_401(
    server_url,  # noqa: F811
    body,
    content_type,
    headers,
):
    assert _post(server_url, body, content_type, headers).status_code == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        (urlencode({"payload": "{not json"}), FORM),
        (urlencode({"payload": "42"}), FORM),
        ("<xml/>", "text/xml"),
    ],
    ids=["truncated-json", "json-list", "bad-payload", "payload-not-object", "xml"],
)
def test_signed_bodies_slack_never_sends_get_400(server_url, body, content_type):  # noqa: F811
    response = _post(server_url, body, content_type, signed_headers(SIGNING_SECRET, body))

    assert response.status_code == 400


def test_signed_bytes_that_are_not_utf8_get_400(server_url):  # noqa: F811
    body = b'{"type": "\xff"}'
    timestamp = str(int(time.time()))
    digest = hmac.new(
        SIGNING_SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256
    ).hexdigest()
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}

    assert _post(server_url, body, "application/json", headers).status_code == 400


def test_a_replayed_helpful_click_counts_once(client, slack, demo, session):
    post_event(client, _mention())
    buttons = _feedback_buttons(slack)
    payload = click_payload(slack, "answer_helpful", buttons["answer_helpful"])
    body = urlencode({"payload": json.dumps(payload)})
    headers = signed_headers(SIGNING_SECRET, body)

    first = client.post("/slack/events", data=body, content_type=FORM, headers=headers)
    replayed = client.post("/slack/events", data=body, content_type=FORM, headers=headers)

    assert (first.status_code, replayed.status_code) == (200, 200)
    assert len(session.exec(select(AnswerFeedback)).all()) == 1
    assert len(slack.calls_to("T1")) == 1  # one "Thanks", not two


def test_a_replayed_slash_command_is_answered_once(client, slack, demo, session):
    body = urlencode(
        {
            "command": "/ask",
            "text": "how do I detect model drift?",
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": slack.response_url,
            "trigger_id": "t-1",
        }
    )
    headers = signed_headers(SIGNING_SECRET, body)

    first = client.post("/slack/events", data=body, content_type=FORM, headers=headers)
    replayed = client.post("/slack/events", data=body, content_type=FORM, headers=headers)

    assert (first.status_code, replayed.status_code) == (200, 200)
    assert first.data and not replayed.data
    receipts = session.exec(select(SlackEventReceipt.event_id)).all()
    assert len(receipts) == 1


def test_a_second_click_of_its_own_is_not_a_replay(client, slack, demo, session):
    post_event(client, _mention())
    value = _feedback_buttons(slack)["answer_helpful"]

    _click(client, slack, "answer_helpful", value)
    _click(client, slack, "answer_helpful", value)  # in the same second, with its own trigger

    assert len(slack.calls_to("T1")) == 2
