"""Scheduled work for the search index; the scheduler calls these inside an app context."""

import logging
from datetime import timedelta

from community.config import settings
from community.db import session_scope
from community.search import changelog

log = logging.getLogger("community.search")


def prune_change_log() -> None:
    """Forget changes every node has applied, and any older than SEARCH_CHANGE_LOG_DAYS."""
    with session_scope() as session:
        pruned = changelog.prune(
            session, keep_for=timedelta(days=settings().SEARCH_CHANGE_LOG_DAYS)
        )
    if pruned:
        log.info("pruned %d applied changes from the search change log", pruned)
