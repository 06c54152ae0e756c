"""Scheduled work for the knowledge base; the scheduler calls these inside an app context."""

import logging

from community.config import settings
from community.db import get_engine, session_scope
from community.fetch_policy import fetch_policy
from community.knowledge import transcripts
from community.knowledge.polling import PollSettings, due_feed_ids, poll_feeds
from community.models import ContentItem
from community.models.types import utcnow

log = logging.getLogger("community.feeds")


def poll_due_feeds() -> None:
    """The feeds due now; polling gives each feed units of its own (see polling.py)."""
    with session_scope() as session:
        feed_ids = due_feed_ids(session=session, now=utcnow())
    if not feed_ids:
        return
    outcomes = poll_feeds(
        engine=get_engine(),
        feed_ids=feed_ids,
        settings=PollSettings.from_config(settings()),
    )
    failed = sum(outcome.status in ("error", "gone") for outcome in outcomes)
    log.info("polled %d feeds, %d failed", len(outcomes), failed)


def read_due_transcripts() -> list[dict]:
    """Reads the transcripts and chapters of episodes whose links changed; one at a time,
    each in its own unit of work, so one slow or broken transcript holds up no other."""
    policy = fetch_policy(settings())
    with session_scope() as session:
        due = [item.id for item in transcripts.due_episodes(session)]
    outcomes = []
    for item_id in due:
        with session_scope() as session:
            item = session.get(ContentItem, item_id)
            transcripts.read_transcript(item, policy)
            outcomes.append(
                {
                    "id": item.id,
                    "title": item.title,
                    "passages": len(item.transcript_passages or []),
                    "chapters": len(item.chapters or []),
                    "error": item.transcript_error,
                }
            )
    if outcomes:
        log.info("read %d transcripts", len(outcomes))
    return outcomes
