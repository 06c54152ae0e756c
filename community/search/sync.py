"""Keeps the search index in step with the database, on every node.

Each flush that touches items or events writes their ids to the change log
(community.search.changelog) in the same transaction, so the log holds exactly what was
committed. After a commit, the committing process applies the log to its own index at
once; other processes and machines apply it from their follow thread within
SEARCH_FOLLOW_SECONDS. Bulk work (polling hundreds of feeds) can gather its commits and
apply the log every few seconds instead of once per transaction.
"""

import logging
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession

from community.models import ContentItem, Event
from community.search import changelog
from community.search.follower import IndexFollower, NeedsRebuild

log = logging.getLogger("community.search")
_followers: "weakref.WeakKeyDictionary[Engine, IndexFollower]" = weakref.WeakKeyDictionary()
_batches: "weakref.WeakKeyDictionary[Engine, _Batch]" = weakref.WeakKeyDictionary()
_LOGGED = "search_index_logged"
_CHANGED = "search_index_changed"
BATCH_SECONDS = 2.0


class _Batch:
    def __init__(self):
        self._lock = threading.Lock()
        self._waiting = False
        self._since = time.monotonic()

    def due(self) -> bool:
        """Notes a commit; True when it is time to apply the log."""
        with self._lock:
            self._waiting = True
            if time.monotonic() - self._since < BATCH_SECONDS:
                return False
            self._waiting, self._since = False, time.monotonic()
            return True


def keep_index_in_step(engine: Engine, follower: IndexFollower) -> None:
    _followers[engine] = follower


@contextmanager
def batched_index_updates(engine: Engine) -> Iterator[None]:
    """Within the block, commits on `engine` reach the index every few seconds and at the end."""
    _batches[engine] = _Batch()
    try:
        yield
    finally:
        _batches.pop(engine, None)
        _catch_up(engine)


@event.listens_for(OrmSession, "after_flush")
def _log_changes(session: OrmSession, _context) -> None:
    logged = session.info.setdefault(_LOGGED, set())
    changes = []
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, ContentItem) and instance.id is not None:
            change = (changelog.ITEM, instance.id)
        elif isinstance(instance, Event) and instance.id is not None:
            change = (changelog.EVENT, instance.id)
        else:
            continue
        if change not in logged:
            logged.add(change)
            changes.append(change)
    if changes:
        changelog.record_changes(session.connection(), changes)
        session.info[_CHANGED] = True


@event.listens_for(OrmSession, "after_commit")
def _apply_changes(session: OrmSession) -> None:
    session.info.pop(_LOGGED, None)
    if not session.info.pop(_CHANGED, False):
        return
    batch = _batches.get(session.bind)
    if batch is None or batch.due():
        _catch_up(session.bind)


@event.listens_for(OrmSession, "after_soft_rollback")
def _forget_changes(session: OrmSession, _previous_transaction) -> None:
    # A rolled-back savepoint may have held log rows: log its changes again if re-flushed.
    session.info.pop(_LOGGED, None)
    if not session.in_transaction():
        session.info.pop(_CHANGED, None)


def _catch_up(engine: Engine) -> None:
    follower = _followers.get(engine)
    if follower is None:
        return
    try:
        follower.catch_up()
    except NeedsRebuild as reason:
        log.warning("the search index needs a rebuild (%s): `kb reindex` or the follower", reason)
    except Exception:  # the commit stands; the follow thread applies the log later
        log.exception("could not apply the search change log after a commit")
