"""The outgoing Web API client of this process, and how to read its failures.

slack_sdk is only named for type checkers here: a process with Slack off never loads it, which
spares every `flask` command some 20 ms at start.
"""

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

# Pause between calls of a tier 3 method (conversations.history, .replies): 50 a minute.
TIER_3_PAUSE = 1.2

# Errors Slack answers with HTTP 200 that still mean "try again later".
TEMPORARY_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable"}


def slack_client() -> "WebClient | None":
    """The Web API client, or None when Slack is off."""
    bolt = current_app.extensions.get("slack_bolt")
    return bolt.client if bolt else None


def slack_unavailable(error: "SlackApiError") -> bool:
    """True for an outage or a rate limit; False when Slack refused this one message."""
    status = getattr(error.response, "status_code", 0) or 0
    code = (error.response.get("error") if error.response is not None else None) or ""
    return status >= 500 or status == 429 or code in TEMPORARY_ERRORS
