"""The search index's change log: what changed, in the order it was committed.

The index is derived data; this log is the truth of what changed. Each row is written in
the transaction of the change it names, so a node can apply to its own index every change
it has not applied yet, and a new node knows where to start.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Integer
from sqlmodel import Field, SQLModel

from community.models.types import created_at_field, timestamp_field

# SQLite numbers only an INTEGER primary key by itself; PostgreSQL needs 64 bits here.
LOG_ID = BigInteger().with_variant(Integer(), "sqlite")


class SearchIndexChange(SQLModel, table=True):
    """One changed item or event: the node reads the row's current state when it applies it."""

    __tablename__ = "search_index_change"

    id: int | None = Field(default=None, sa_column=Column(LOG_ID, primary_key=True))
    kind: str = Field(max_length=10)  # "item" or "event"
    row_id: int
    recorded_at: datetime = created_at_field()


class SearchIndexNode(SQLModel, table=True):
    """How far one node's index has applied the log; pruning keeps what a live node needs."""

    __tablename__ = "search_index_node"

    name: str = Field(primary_key=True, max_length=300)
    applied_through: int = Field(default=0, sa_type=BigInteger)
    seen_at: datetime | None = timestamp_field()


class SearchChangeLogPruning(SQLModel, table=True):
    """One row: the log holds no change numbered at or below `pruned_through` any more."""

    __tablename__ = "search_change_log_pruning"

    id: int = Field(default=1, primary_key=True)
    pruned_through: int = Field(default=0, sa_type=BigInteger)
    pruned_at: datetime | None = timestamp_field()
