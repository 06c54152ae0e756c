"""Messages the service starts in Slack (not replies): DMs and channel announcements."""

import logging

from flask import current_app
from slack_sdk.errors import SlackApiError

log = logging.getLogger("community.slack")


def slack_client():
    """The Web API client, or None when Slack is off."""
    bolt = current_app.extensions.get("slack_bolt")
    return bolt.client if bolt else None


def post_message(channel: str, text: str, blocks: list[dict] | None = None) -> bool:
    """Post to a channel or, given a user id, as a DM. A Slack outage is logged, not raised."""
    client = slack_client()
    if client is None or not channel:
        return False
    try:
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except (SlackApiError, OSError) as error:
        log.warning("Slack message to %s not sent: %s", channel, error)
        return False
    return True
