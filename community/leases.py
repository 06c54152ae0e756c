"""A named lease in the database: whoever holds an unexpired lease is the one that acts."""

from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community.models import SchedulerLease
from community.models.types import utcnow


def acquire_or_renew(engine: Engine, *, name: str, holder: str, ttl_seconds: float) -> bool:
    """Take the lease if it is free or expired, or extend it if we hold it. True when held."""
    now = utcnow()
    expires_at = now + timedelta(seconds=ttl_seconds)
    with Session(engine) as session:
        renewed = session.exec(
            update(SchedulerLease)
            .where(SchedulerLease.name == name)
            .where((SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now))
            .values(holder=holder, expires_at=expires_at)
        )
        session.commit()
        if renewed.rowcount == 1:
            return True
        try:
            session.add(SchedulerLease(name=name, holder=holder, expires_at=expires_at))
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
            return False


def holds(engine: Engine, *, name: str, holder: str) -> bool:
    with Session(engine) as session:
        lease = session.exec(select(SchedulerLease).where(SchedulerLease.name == name)).first()
        return lease is not None and lease.holder == holder and lease.expires_at > utcnow()


def release(engine: Engine, *, name: str, holder: str) -> None:
    with Session(engine) as session:
        session.exec(
            delete(SchedulerLease)
            .where(SchedulerLease.name == name)
            .where(SchedulerLease.holder == holder)
        )
        session.commit()


def take_over_from(engine: Engine, *, name: str, old_holder: str, holder: str, ttl: float) -> bool:
    """Take a lease from a holder known to be gone (a crashed process on this machine)."""
    with Session(engine) as session:
        taken = session.exec(
            update(SchedulerLease)
            .where(SchedulerLease.name == name, SchedulerLease.holder == old_holder)
            .values(holder=holder, expires_at=utcnow() + timedelta(seconds=ttl))
        )
        session.commit()
        return taken.rowcount == 1


def current_holder(engine: Engine, *, name: str) -> str | None:
    with Session(engine) as session:
        lease = session.exec(select(SchedulerLease).where(SchedulerLease.name == name)).first()
        return lease.holder if lease is not None and lease.expires_at > utcnow() else None
