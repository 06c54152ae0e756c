"""Reading a thread back from Slack: conversations.replies, every page of it, and links."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("community.slack")

PAGE_SIZE = 200  # Slack's largest page for conversations.replies


def thread_messages(client: WebClient, channel: str, thread_ts: str) -> list[dict]:
    """Every message of the thread, its first message first."""
    messages: list[dict] = []
    cursor = None
    while True:
        page = client.conversations_replies(
            channel=channel, ts=thread_ts, cursor=cursor, limit=PAGE_SIZE
        )
        messages.extend(page.get("messages") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return messages


def permalink(client: WebClient, channel: str, message_ts: str) -> str | None:
    """The message's permalink, or None when Slack will not give one (the caller goes on)."""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=message_ts)["permalink"]
    except (SlackApiError, KeyError) as error:
        log.warning("no permalink for %s in %s: %s", message_ts, channel, error)
        return None
