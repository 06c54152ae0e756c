"""Reading and writing the search index's change log (community.models.search).

Rows are numbered in the order they were written, which on PostgreSQL is not quite the
order they were committed: a transaction may take number 10 and commit after number 11.
So a reader never assumes that seeing 11 means 10 is final. It remembers which numbers
above its settled position it has applied, and settles a position only once every
transaction that was running when it read that far has ended (PostgreSQL's snapshot
xmin passing the xmax it saw then). SQLite has one writer at a time, so numbers there are
committed in order and settle at once.
"""

import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, text
from sqlmodel import Session, select

from community.models import SearchChangeLogPruning, SearchIndexChange, SearchIndexNode
from community.models.types import utcnow

ITEM = "item"
EVENT = "event"


@dataclass(frozen=True)
class Change:
    id: int
    kind: str
    row_id: int


def record_changes(connection: Connection, changes: list[tuple[str, int]]) -> None:
    """Write (kind, row id) pairs in the caller's transaction."""
    if changes:
        now = utcnow()
        connection.execute(
            insert(SearchIndexChange),
            [{"kind": kind, "row_id": row_id, "recorded_at": now} for kind, row_id in changes],
        )


def changes_after(session: Session, position: int, limit: int) -> list[Change]:
    rows = session.exec(
        select(SearchIndexChange.id, SearchIndexChange.kind, SearchIndexChange.row_id)
        .where(SearchIndexChange.id > position)
        .order_by(SearchIndexChange.id)
        .limit(limit)
    ).all()
    return [Change(*row) for row in rows]


def count_after(session: Session, position: int) -> int:
    query = select(func.count()).select_from(SearchIndexChange)
    return session.exec(query.where(SearchIndexChange.id > position)).one()


def oldest_after(session: Session, position: int, applied: set[int]) -> datetime | None:
    """When the oldest change this node has not applied was recorded."""
    query = select(SearchIndexChange.recorded_at).where(SearchIndexChange.id > position)
    if applied:
        query = query.where(SearchIndexChange.id.not_in(applied))
    return session.exec(query.order_by(SearchIndexChange.id).limit(1)).first()


def transaction_horizon(session: Session) -> tuple[int, int] | None:
    """(xmin, xmax) of a snapshot taken now, or None where writes commit in number order."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    row = session.execute(
        text(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text,"
            " pg_snapshot_xmax(pg_current_snapshot())::text"
        )
    ).one()
    return int(row[0]), int(row[1])


def pruned_through(session: Session) -> int:
    """Changes numbered at or below this are gone from the log."""
    pruning = session.get(SearchChangeLogPruning, 1)
    return pruning.pruned_through if pruning else 0


def log_covers_everything(session: Session) -> bool:
    """True when the log holds every change ever made, so an empty index can replay it."""
    return session.get(SearchChangeLogPruning, 1) is None


def report_node(session: Session, name: str, applied_through: int) -> None:
    node = session.get(SearchIndexNode, name) or SearchIndexNode(name=name)
    node.applied_through = applied_through
    node.seen_at = utcnow()
    session.add(node)


def default_node_name(index_dir) -> str:
    return f"{socket.gethostname()}:{index_dir}"


def prune(session: Session, keep_for: timedelta) -> int:
    """Delete changes every live node has applied, and any older than `keep_for`.

    A node not heard from within `keep_for` is forgotten: when it comes back it finds its
    position pruned and rebuilds.
    """
    cutoff = utcnow() - keep_for
    session.exec(delete(SearchIndexNode).where(SearchIndexNode.seen_at < cutoff))
    applied_by_all = session.exec(select(func.min(SearchIndexNode.applied_through))).one() or 0
    expired = session.exec(
        select(func.max(SearchIndexChange.id)).where(SearchIndexChange.recorded_at < cutoff)
    ).one()
    through = max(applied_by_all, expired or 0)
    if through <= pruned_through(session):
        return 0
    deleted = session.exec(delete(SearchIndexChange).where(SearchIndexChange.id <= through))
    pruning = session.get(SearchChangeLogPruning, 1) or SearchChangeLogPruning(id=1)
    pruning.pruned_through = max(pruning.pruned_through, through)
    pruning.pruned_at = utcnow()
    session.add(pruning)
    return deleted.rowcount
