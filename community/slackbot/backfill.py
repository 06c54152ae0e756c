"""`flask slack import-threads`: threads already solved in a help channel become drafts.

A thread counts as solved when a reply carries a ✅ from the person who asked or from an
organiser, as a live mark would. History is read newest first, and after each message
the progress is committed, so a run that was killed continues where it stopped. Calls
are spaced to stay inside Slack's tier 3 limits (about 50 a minute per method), and a
429's Retry-After is honoured by the client's retry handler.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from sqlmodel import Session

from community.config import settings
from community.db import session_scope
from community.knowledge import solved_threads
from community.models import SlackThreadImport
from community.models.types import utcnow
from community.slackbot.listeners.solved import ANSWERED, solved_thread_from
from integrations.slack.client import TIER_3_PAUSE
from integrations.slack.threads import thread_messages

HISTORY_PAGE = 200


@dataclass
class BackfillReport:
    channel: str
    threads_seen: int
    drafts_made: int
    resumed: bool
    finished: bool


def import_solved_threads(
    client: WebClient, channel: str, since: datetime, *, pause: float = TIER_3_PAUSE
) -> BackfillReport:
    if channel not in settings().SLACK_HELP_CHANNELS:
        raise ValueError(f"{channel} is not one of SLACK_HELP_CHANNELS: only those are read")
    with session_scope() as session:
        progress = _progress(session, channel, since)
        resumed = progress.oldest_done_ts is not None and progress.finished_at is None
        latest = None if progress.finished_at else progress.oldest_done_ts
    cursor = None
    while True:
        page = client.conversations_history(
            channel=channel,
            oldest=f"{since.timestamp():.6f}",
            latest=latest,
            inclusive=False,
            cursor=cursor,
            limit=HISTORY_PAGE,
        )
        for message in page.get("messages") or []:
            drafted = _import_thread(client, channel, message, pause)
            _record_step(channel, message["ts"], bool(message.get("reply_count")), drafted)
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
        time.sleep(pause)
    with session_scope() as session:
        progress = session.get(SlackThreadImport, channel)
        progress.finished_at = utcnow()
        return BackfillReport(
            channel=channel,
            threads_seen=progress.threads_seen,
            drafts_made=progress.drafts_made,
            resumed=resumed,
            finished=True,
        )


def _progress(session: Session, channel: str, since: datetime) -> SlackThreadImport:
    """This channel's progress; a finished run or another `since` starts afresh."""
    progress = session.get(SlackThreadImport, channel)
    if progress is None:
        progress = SlackThreadImport(channel=channel, since=since)
        session.add(progress)
    elif progress.finished_at is not None or progress.since != since:
        progress.since, progress.oldest_done_ts, progress.finished_at = since, None, None
        progress.threads_seen = progress.drafts_made = 0
    session.flush()
    return progress


def _import_thread(client: WebClient, channel: str, root: dict, pause: float) -> int:
    """Drafts for the replies of this thread that the asker or an organiser ✅ed."""
    if not root.get("reply_count"):
        return 0
    time.sleep(pause)
    messages = thread_messages(client, channel, root["ts"])
    drafted = 0
    for reply in messages[1:]:
        for marker in _markers(reply):
            thread = solved_thread_from(client, channel, messages, reply["ts"], marker)
            if isinstance(thread, str):
                continue  # this person's ✅ does not count
            with session_scope() as session:
                drafted += solved_threads.draft_solved_thread(session, thread)[1]
            break
    return drafted


def _markers(message: dict) -> list[str]:
    for reaction in message.get("reactions") or []:
        if reaction.get("name") == ANSWERED:
            return list(reaction.get("users") or [])
    return []


def _record_step(channel: str, ts: str, was_thread: bool, drafted: int) -> None:
    with session_scope() as session:
        progress = session.get(SlackThreadImport, channel)
        progress.oldest_done_ts = ts
        progress.threads_seen += int(was_thread)
        progress.drafts_made += drafted
        progress.updated_at = utcnow()
