"""What the web side can read about the scheduler process: heartbeats and each job's runs."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from community.models import JobRun
from community.models.types import utcnow

HEARTBEAT_JOB_ID = "scheduler.heartbeat"
JOBSTORE_TABLE = "apscheduler_jobs"
WEEK = timedelta(days=7)


def last_heartbeat(engine: Engine) -> datetime | None:
    """When the newest successful heartbeat finished; read from the end of the per-job index,
    however many heartbeats are kept."""
    with Session(engine) as session:
        return session.exec(
            select(JobRun.finished_at)
            .where(JobRun.job_id == HEARTBEAT_JOB_ID)
            .where(JobRun.status == "succeeded")
            .order_by(JobRun.started_at.desc())
            .limit(1)
        ).first()


def recent_runs(
    session: Session, limit: int = 50, *, leave_out_successes_of: frozenset[str] = frozenset()
) -> list[JobRun]:
    """The newest runs; the successful runs of the jobs named (the frequent ones) are left
    out, since the summary counts them."""
    statement = select(JobRun)
    if leave_out_successes_of:
        statement = statement.where(
            JobRun.job_id.not_in(leave_out_successes_of) | (JobRun.status != "succeeded")
        )
    return list(session.exec(statement.order_by(JobRun.started_at.desc()).limit(limit)))


@dataclass(frozen=True)
class JobRecord:
    """What the job_run table says about one job."""

    last_run: JobRun | None
    failures_this_week: int
    runs_this_week: int


def job_records(
    session: Session, job_ids: list[str], *, now: datetime | None = None
) -> dict[str, JobRecord]:
    """Each job's latest run and its runs and failures of the last seven days, by job id;
    each read from the (job_id, started_at) index, so a long history costs nothing."""
    since = (now or utcnow()) - WEEK
    return {job_id: _job_record(session, job_id, since) for job_id in job_ids}


def _job_record(session: Session, job_id: str, since: datetime) -> JobRecord:
    last_run = session.exec(
        select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.started_at.desc()).limit(1)
    ).first()
    week = select(func.count(), func.count().filter(JobRun.status == "failed")).where(
        JobRun.job_id == job_id, JobRun.started_at >= since
    )
    runs, failures = session.exec(week).one()
    return JobRecord(last_run=last_run, failures_this_week=failures, runs_this_week=runs)


def next_run_times(engine: Engine) -> dict[str, datetime]:
    """When the scheduler will next run each job, from its job store (empty before the
    scheduler first ran)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(JOBSTORE_TABLE):
            return {}
        rows = connection.execute(text(f"SELECT id, next_run_time FROM {JOBSTORE_TABLE}"))  # noqa: S608
        return {
            job_id: datetime.fromtimestamp(stamp, UTC)
            for job_id, stamp in rows
            if stamp is not None
        }
