"""Checking a request that claims to come from Slack, then turning it into Bolt's.

Strangers get no work done for them: the size, timestamp and signature are checked on the
raw bytes before anything is parsed, and a body that is not what Slack sends is refused.

Bolt takes any form body containing the text "payload" for an interactive payload, so
`/ask what payload size can a model server take?` would arrive as an empty request and
go unanswered. Slash commands never carry a `payload` field; such bodies are read as the
plain form they are. The signature is still checked against the raw body.
"""

import json
from urllib.parse import parse_qsl

from flask import Request
from slack_bolt import BoltRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier
from werkzeug.exceptions import RequestEntityTooLarge

MAX_BODY_BYTES = 1024 * 1024  # Slack's largest payloads (modal views) are far smaller
MAX_AGE_SECONDS = 5 * 60  # Slack's own replay window


class RefusedRequest(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verified_body(request: Request, signing_secret: str) -> str:
    """The body of a genuine, fresh Slack request, or RefusedRequest saying why not."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise RefusedRequest(413, "the body is larger than Slack sends")
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and signature):
        raise RefusedRequest(401, "the request is not signed")
    request.max_content_length = MAX_BODY_BYTES  # also bounds a body sent without a length
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge as error:
        raise RefusedRequest(413, "the body is larger than Slack sends") from error
    try:
        text = body.decode("utf-8")  # the verifier would fail on other bytes
    except UnicodeDecodeError as error:
        raise RefusedRequest(400, "the body is not UTF-8") from error
    if not SignatureVerifier(signing_secret).is_valid(text, timestamp, signature):
        raise RefusedRequest(401, "the signature is wrong or older than five minutes")
    _check_shape(text, request.mimetype)
    return text


def _check_shape(body: str, mimetype: str) -> None:
    """Bolt assumes well-formed JSON or forms; a malformed one would end in a 500."""
    try:
        if mimetype == "application/json":
            parsed = json.loads(body)
        elif mimetype == "application/x-www-form-urlencoded":
            form = dict(parse_qsl(body, keep_blank_values=True))
            parsed = json.loads(form["payload"]) if "payload" in form else form
        else:
            raise RefusedRequest(400, f"Slack does not send {mimetype or 'bodies without a type'}")
    except ValueError as error:
        raise RefusedRequest(400, "the body is not well-formed") from error
    if not isinstance(parsed, dict):
        raise RefusedRequest(400, "the body is not an object")


def replay_key(request: Request) -> str | None:
    """What identifies one interactive request or slash command, so a replay does nothing.

    Events carry their own id; interactions and commands do not, but their signature is
    unique to their timestamp and body.
    """
    if request.mimetype != "application/x-www-form-urlencoded":
        return None
    return request.headers.get("X-Slack-Signature", "").removeprefix("v0=")[:64] or None


def bolt_request(request: Request, raw_body: str) -> BoltRequest:
    converted = BoltRequest(
        body=raw_body, query=request.query_string.decode("utf-8"), headers=request.headers
    )
    if not converted.body and request.mimetype == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(raw_body, keep_blank_values=True))
        if "command" in form and "payload" not in form:
            converted.body = form
            converted.context = build_context(BoltContext({}), form)
    return converted
