"""Counters behind the limits on what one client or one address may do in a while."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from community.models.types import timestamp_field


class RateLimitCounter(SQLModel, table=True):
    """Hits on one limit's key in its current window, shared by every process."""

    __tablename__ = "rate_limit_counter"

    # A hash of the limit's name and what it counts (a client address, an email), so the
    # table keeps no addresses and every key has the same length.
    key: str = Field(primary_key=True, max_length=64)
    hits: int = 0
    window_ends_at: datetime = timestamp_field(required=True, index=True)
