"""Scheduled work for the knowledge base; the scheduler calls these inside an app context."""

import logging

from community.config import settings
from community.db import get_engine, session_scope
from community.knowledge.polling import PollSettings, due_feed_ids, poll_feeds
from community.models.types import utcnow

log = logging.getLogger("community.feeds")


def poll_due_feeds() -> None:
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
