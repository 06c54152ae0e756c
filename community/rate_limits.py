"""Limits on how often one client, one address or one member may do something, counted in
the database so that every web worker, the scheduler and the Slack process share them.

A hit is counted in the caller's transaction: when the caller's unit of work rolls back (a
refused request answers 429, which rolls back), the hit is not counted either.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete
from sqlmodel import Session

from community.config import settings
from community.db import upsert_insert
from community.models import RateLimitCounter
from community.models.types import utcnow

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: int = 0  # how long until the window ends; 0 when allowed


def hit(session: Session, key: str, limit: int, window: timedelta) -> Decision:
    """Counts one hit on `key` and allows it while at most `limit` fell in the window.

    The window is fixed: it starts with the first hit and the count starts again after it.
    One INSERT … ON CONFLICT DO UPDATE counts and reads back, so concurrent workers queue
    on the row and never let more than `limit` through.
    """
    now = utcnow()
    hits, window_ends_at = session.exec(_count_hit(session, _digest(key), now, now + window)).one()
    if hits <= limit:
        return Decision(allowed=True)
    seconds = math.ceil((window_ends_at - now).total_seconds())
    return Decision(allowed=False, retry_after_seconds=max(seconds, 1))


def _count_hit(session: Session, key: str, now, window_ends_at):
    table = RateLimitCounter.__table__
    insert = upsert_insert(session)
    statement = insert(table).values(key=key, hits=1, window_ends_at=window_ends_at)
    window_over = table.c.window_ends_at <= now
    return statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "hits": case((window_over, 1), else_=table.c.hits + 1),
            "window_ends_at": case(
                (window_over, statement.excluded.window_ends_at), else_=table.c.window_ends_at
            ),
        },
    ).returning(table.c.hits, table.c.window_ends_at)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def prune_expired(session: Session) -> int:
    """Removes the counters whose window is over: they would start again at one anyway."""
    removed = session.exec(
        delete(RateLimitCounter).where(RateLimitCounter.window_ends_at < utcnow())
    )
    return removed.rowcount


def may_email(session: Session, *, to: str, purpose: str) -> bool:
    """Whether an email that a stranger's request causes may go to `to` now, counting it.

    One email per purpose (a newsletter confirmation, the link to one event's registration)
    per EMAIL_CAP_MINUTES, and EMAIL_CAP_PER_DAY for all purposes together: a form cannot be
    used to fill someone's inbox. A capped email is simply not sent; the page stays the same.
    """
    address = to.strip().lower()
    config = settings()
    spaced = hit(
        session, f"email:{purpose}:{address}", 1, timedelta(minutes=config.EMAIL_CAP_MINUTES)
    )
    if not spaced.allowed:
        return False
    return hit(session, f"email:day:{address}", config.EMAIL_CAP_PER_DAY, DAY).allowed
