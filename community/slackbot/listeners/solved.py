"""Marking a help-channel reply as the answer: a ✅ reaction or the *Mark as answer* shortcut.

Only the person who asked, or an organiser (SLACK_ORGANISERS), marks an answer, and only
in the help channels: no other channel is read. The draft goes to the curation queue.
Editing or deleting the marked reply in Slack follows it there; its author can remove it
with the *Remove from knowledge base* shortcut.
"""

import logging
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from community.config import settings
from community.db import session_scope
from community.knowledge import solved_threads
from community.knowledge.solved_threads import SolvedThread
from community.slackbot.receipts import first_delivery
from integrations.slack.text import escape, plain_text
from integrations.slack.threads import permalink, thread_messages
from integrations.slack.users import fetch_profile

if TYPE_CHECKING:
    from slack_bolt import App

ANSWERED = "white_check_mark"
log = logging.getLogger("community.slack")


def register(bolt: "App") -> None:
    bolt.event("reaction_added")(mark_by_reaction)
    bolt.shortcut("mark_as_answer")(ack=_acknowledge, lazy=[mark_by_shortcut])
    bolt.shortcut("remove_from_knowledge_base")(ack=_acknowledge, lazy=[remove_by_shortcut])
    bolt.event({"type": "message", "subtype": "message_changed"})(follow_edit)
    bolt.event({"type": "message", "subtype": "message_deleted"})(follow_deletion)


def _acknowledge(ack):
    ack()


def mark_by_reaction(body, event, client):
    item = event.get("item") or {}
    if event.get("reaction") != ANSWERED or item.get("type") != "message":
        return
    if item.get("channel") in settings().SLACK_HELP_CHANNELS and first_delivery(body):
        _mark(client, item["channel"], item["ts"], event["user"], notify=True)


def mark_by_shortcut(shortcut, client, respond):
    channel = (shortcut.get("channel") or {}).get("id")
    if channel not in settings().SLACK_HELP_CHANNELS:
        respond(response_type="ephemeral", text="Answers are collected in help channels only.")
        return
    message_ts = shortcut["message"]["ts"]
    respond(
        response_type="ephemeral", text=_mark(client, channel, message_ts, shortcut["user"]["id"])
    )


def remove_by_shortcut(shortcut, respond):
    channel = (shortcut.get("channel") or {}).get("id")
    message, person = shortcut["message"], shortcut["user"]["id"]
    if person != message.get("user") and person not in settings().SLACK_ORGANISERS:
        respond(response_type="ephemeral", text="Only its author or an organiser can remove it.")
        return
    with session_scope() as session:
        removed = solved_threads.remove_marked_answer(session, channel, message["ts"])
    text = "Removed from the knowledge base." if removed else "That message is not in it."
    respond(response_type="ephemeral", text=text)


def follow_edit(event):
    message = event.get("message") or {}
    if event.get("channel") not in settings().SLACK_HELP_CHANNELS or not message.get("ts"):
        return
    with session_scope() as session:
        solved_threads.update_marked_answer(
            session, event["channel"], message["ts"], plain_text(message.get("text", ""))
        )


def follow_deletion(event):
    if event.get("channel") in settings().SLACK_HELP_CHANNELS and event.get("deleted_ts"):
        with session_scope() as session:
            solved_threads.remove_marked_answer(session, event["channel"], event["deleted_ts"])


def _mark(client: WebClient, channel: str, message_ts: str, marked_by: str, notify=False) -> str:
    """Drafts the thread if `marked_by` may mark this reply; returns what to tell them."""
    try:
        thread = _solved_thread(client, channel, message_ts, marked_by)
    except SlackApiError as error:
        log.warning("could not read the thread of %s in %s: %s", message_ts, channel, error)
        return "Slack would not show me that thread; try again in a moment."
    if isinstance(thread, str):
        return thread
    with session_scope() as session:
        item, new = solved_threads.draft_solved_thread(session, thread)
        title = item.title
    told = f"Thanks: “{escape(title)}” waits for an organiser, then the bot will cite it."
    if new and notify:
        client.chat_postEphemeral(channel=channel, user=marked_by, text=told)
    return told if new else "That answer is already collected."


def _solved_thread(client: WebClient, channel: str, message_ts: str, marked_by: str):
    """The SolvedThread, or the reason this mark does not count."""
    return solved_thread_from(
        client, channel, thread_messages(client, channel, message_ts), message_ts, marked_by
    )


def solved_thread_from(
    client: WebClient, channel: str, messages: list[dict], answer_ts: str, marked_by: str
):
    """The SolvedThread of a thread's messages, or the reason `marked_by`'s mark does not
    count: only the asker or an organiser marks, and only a person's reply."""
    answer = next((m for m in messages if m.get("ts") == answer_ts), None)
    if not messages or answer is None or answer is messages[0]:
        return "Only a reply in a question's thread can be its answer."
    question = messages[0]
    if answer.get("bot_id") or answer.get("subtype"):
        return "Only a person's reply can be marked as the answer."
    if marked_by not in (question.get("user"), *settings().SLACK_ORGANISERS):
        return "Only the person who asked, or an organiser, can mark the answer."
    profile = fetch_profile(client, answer.get("user", ""))
    return SolvedThread(
        channel=channel,
        channel_name=_channel_name(client, channel),
        question=plain_text(question.get("text", "")),
        answer=plain_text(answer.get("text", "")),
        answer_ts=answer_ts,
        answerer=profile.name if profile else answer.get("user", "a member"),
        permalink=permalink(client, channel, answer_ts),
        marked_by=marked_by,
    )


def _channel_name(client: WebClient, channel: str) -> str:
    try:
        return client.conversations_info(channel=channel)["channel"]["name"]
    except (SlackApiError, KeyError):
        return channel
