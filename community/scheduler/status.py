"""What the web side can read about the scheduler process."""

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from community.models import JobRun

HEARTBEAT_JOB_ID = "scheduler.heartbeat"


def last_heartbeat(engine: Engine) -> datetime | None:
    with Session(engine) as session:
        return session.exec(
            select(func.max(JobRun.finished_at))
            .where(JobRun.job_id == HEARTBEAT_JOB_ID)
            .where(JobRun.status == "succeeded")
        ).one()


def recent_runs(session: Session, limit: int = 50) -> list[JobRun]:
    return list(session.exec(select(JobRun).order_by(JobRun.started_at.desc()).limit(limit)))
