"""Turning a Flask request into Bolt's, working around how Bolt reads slash commands.

Bolt takes any form body containing the text "payload" for an interactive payload, so
`/ask what payload size can a model server take?` would arrive as an empty request and
go unanswered. Slash commands never carry a `payload` field; such bodies are read as the
plain form they are. The signature is still checked against the raw body.
"""

from urllib.parse import parse_qsl

from flask import Request
from slack_bolt import BoltRequest
from slack_bolt.context import BoltContext
from slack_bolt.request.internals import build_context


def bolt_request(request: Request) -> BoltRequest:
    raw_body = request.get_data(as_text=True)
    converted = BoltRequest(
        body=raw_body, query=request.query_string.decode("utf-8"), headers=request.headers
    )
    if not converted.body and request.mimetype == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(raw_body, keep_blank_values=True))
        if "command" in form and "payload" not in form:
            converted.body = form
            converted.context = build_context(BoltContext({}), form)
    return converted
