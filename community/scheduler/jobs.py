"""The scheduler's own housekeeping jobs. Feature jobs live with their feature."""

from datetime import timedelta

from sqlalchemy import delete

from community import rate_limits
from community.db import session_scope
from community.models import JobRun
from community.models.types import utcnow

JOB_RUN_RETENTION = timedelta(days=30)


def heartbeat() -> None:
    """Does no work: its recorded run tells /healthz that the scheduler is alive."""


def prune_job_runs() -> None:
    with session_scope() as session:
        session.exec(delete(JobRun).where(JobRun.started_at < utcnow() - JOB_RUN_RETENTION))


def prune_rate_limits() -> None:
    with session_scope() as session:
        rate_limits.prune_expired(session)
