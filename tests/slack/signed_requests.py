"""Requests as Slack sends them: signed with the app's signing secret."""

import itertools
import json
from urllib.parse import urlencode

from tests.slack.fake_slack import signed_headers

SIGNING_SECRET = "test-signing-secret"
_trigger_ids = itertools.count(1)


def post_event(client, event: dict, *, event_id: str = "Ev001", headers: dict | None = None):
    body = json.dumps(
        {"type": "event_callback", "team_id": "T1", "event_id": event_id, "event": event}
    )
    return client.post(
        "/slack/events",
        data=body,
        content_type="application/json",
        headers={**signed_headers(SIGNING_SECRET, body), **(headers or {})},
    )


def post_interaction(client, payload: dict):
    """A button press, shortcut or modal submission, with a new trigger id as from Slack."""
    payload = {**payload, "trigger_id": f"trigger-{next(_trigger_ids)}"}
    body = urlencode({"payload": json.dumps(payload)})
    return client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=signed_headers(SIGNING_SECRET, body),
    )


def block_action(user_id: str, action: dict, *, response_url: str | None = None) -> dict:
    payload = {
        "type": "block_actions",
        "user": {"id": user_id},
        "team": {"id": "T1"},
        "trigger_id": "trigger-1",
        "actions": [action],
    }
    return {**payload, "response_url": response_url} if response_url else payload
