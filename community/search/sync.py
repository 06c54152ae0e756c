"""Keeps the search index in step with the database: every commit that touches items or
events is applied to the index right after it, with no manual step.

Changed row ids are collected at flush time and read back after the commit, so the index
only ever sees committed data. Bulk work (polling hundreds of feeds) can gather its commits
and write the index every few seconds instead of once per transaction.
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
from sqlmodel import Session

from community.models import ContentItem, Event
from community.search.documents import documents_for
from search_index import SearchIndex

log = logging.getLogger("community.search")
_indexes: "weakref.WeakKeyDictionary[Engine, SearchIndex]" = weakref.WeakKeyDictionary()
_batches: "weakref.WeakKeyDictionary[Engine, _Batch]" = weakref.WeakKeyDictionary()
_PENDING = "search_index_pending"
BATCH_SECONDS = 2.0


class _Changes:
    def __init__(self):
        self.items: set[int] = set()
        self.events: set[int] = set()

    def merge(self, other: "_Changes") -> None:
        self.items |= other.items
        self.events |= other.events

    def __bool__(self) -> bool:
        return bool(self.items or self.events)


class _Batch:
    def __init__(self):
        self._lock = threading.Lock()
        self._changes = _Changes()
        self._since = time.monotonic()

    def add(self, changes: _Changes) -> _Changes | None:
        """Adds changes; returns everything gathered when it is time to write."""
        with self._lock:
            self._changes.merge(changes)
            if time.monotonic() - self._since < BATCH_SECONDS:
                return None
            return self.drain_locked()

    def drain(self) -> _Changes:
        with self._lock:
            return self.drain_locked()

    def drain_locked(self) -> _Changes:
        changes, self._changes, self._since = self._changes, _Changes(), time.monotonic()
        return changes


def keep_index_in_step(engine: Engine, index: SearchIndex) -> None:
    _indexes[engine] = index


@contextmanager
def batched_index_updates(engine: Engine) -> Iterator[None]:
    """Within the block, commits on `engine` reach the index every few seconds and at the end."""
    batch = _batches[engine] = _Batch()
    try:
        yield
    finally:
        _batches.pop(engine, None)
        _write(engine, batch.drain())


@event.listens_for(OrmSession, "after_flush")
def _collect_changes(session: OrmSession, _context) -> None:
    if session.bind not in _indexes:
        return
    pending = session.info.setdefault(_PENDING, _Changes())
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, ContentItem) and instance.id is not None:
            pending.items.add(instance.id)
        elif isinstance(instance, Event) and instance.id is not None:
            pending.events.add(instance.id)


@event.listens_for(OrmSession, "after_commit")
def _apply_changes(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    batch = _batches.get(session.bind)
    if batch is not None:
        pending = batch.add(pending)
    if pending:
        _write(session.bind, pending)


@event.listens_for(OrmSession, "after_rollback")
def _forget_changes(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def _write(engine: Engine, changes: _Changes) -> None:
    index = _indexes.get(engine)
    if index is None or not changes:
        return
    try:
        with Session(engine) as reader:
            upserts, deletions = documents_for(reader, changes.items, changes.events)
        index.delete(deletions)
        index.upsert(upserts)
    except Exception:  # the commit stands; `kb reindex` repairs a missed update
        log.exception("could not update the search index after a commit")
