"""Claiming outbox rows before sending and recording what happened after.

A row is claimed (status `sending`, `claimed_at`, one more attempt) and committed
before its message leaves, and marked `sent` right after. Several workers (web
processes, the scheduler) can drain the same outbox: the claim is a conditional
UPDATE, so only one of them wins each row. A row still `sending` after
CLAIM_TIMEOUT belonged to a worker that died; it is handed out again, and the
delivery code checks what it can before sending it a second time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, select

from community.models import OutboxStatus
from community.models.types import utcnow
from community.outbox.retries import gives_up, next_attempt_at

# Longer than any send can take (SMTP and Slack clients time out after 30 s).
CLAIM_TIMEOUT = timedelta(minutes=5)


@dataclass(frozen=True)
class Claimed:
    row_id: int
    # Set when a worker claimed the row before and died before recording the result.
    earlier_claim_at: datetime | None


def claim_due(session: Session, model, *, limit: int = 100) -> list[Claimed]:
    now = utcnow()
    due = session.exec(
        select(model.id, model.status, model.claimed_at)
        .where(
            or_(
                (model.status == OutboxStatus.PENDING) & (model.next_attempt_at <= now),
                (model.status == OutboxStatus.SENDING) & (model.claimed_at < now - CLAIM_TIMEOUT),
            )
        )
        .order_by(model.id)
        .limit(limit)
    ).all()
    claimed = [
        Claimed(row_id, claimed_at if status == OutboxStatus.SENDING else None)
        for row_id, status, claimed_at in due
        if _claim(session, model, row_id, status, claimed_at, now)
    ]
    session.commit()  # the claims must be durable before anything is sent
    return claimed


def _claim(session, model, row_id: int, status: str, claimed_at: datetime | None, now) -> bool:
    claimed_before = (
        model.claimed_at.is_(None) if claimed_at is None else (model.claimed_at == claimed_at)
    )
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.status == status, claimed_before)
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=model.attempts + 1)
    )
    return result.rowcount == 1


def record_sent(session: Session, model, row_id: int, **values) -> None:
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(status=OutboxStatus.SENT, sent_at=utcnow(), last_error=None, **values)
    )
    session.commit()


def record_failure(session: Session, model, row_id: int, error: str, *, permanent: bool) -> str:
    """Pending again after a growing wait, or failed for good; returns the new status."""
    attempts = session.get(model, row_id).attempts
    status = (
        OutboxStatus.FAILED if gives_up(attempts, permanent=permanent) else OutboxStatus.PENDING
    )
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values(
            status=status,
            claimed_at=None,
            last_error=error[:2000],
            next_attempt_at=next_attempt_at(attempts),
        )
    )
    session.commit()
    return status


def release(session: Session, model, row_ids: list[int]) -> None:
    """Hands claimed rows back untouched, as when the server went down before their turn."""
    if row_ids:
        session.execute(
            update(model)
            .where(model.id.in_(row_ids), model.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, claimed_at=None, attempts=model.attempts - 1)
        )
        session.commit()
