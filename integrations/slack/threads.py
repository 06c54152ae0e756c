"""Reading a thread back from Slack: conversations.replies, every page of it."""

from slack_sdk import WebClient

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
