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
    """Each job's latest run and its runs and failures of the last seven days, by job id.
    Two statements, each reading only the (job_id, started_at, status) index's ranges of
    these jobs, so a long history costs little."""
    since = (now or utcnow()) - WEEK
    newest = [
        select(JobRun.id)
        .where(JobRun.job_id == job_id)
        .order_by(JobRun.started_at.desc())
        .limit(1)
        .scalar_subquery()
        for job_id in job_ids
    ]
    last_runs = {
        run.job_id: run for run in session.exec(select(JobRun).where(JobRun.id.in_(newest)))
    }
    week = session.exec(
        select(JobRun.job_id, func.count(), func.count().filter(JobRun.status == "failed"))
        .where(JobRun.job_id.in_(job_ids), JobRun.started_at >= since)
        .group_by(JobRun.job_id)
    )
    counts = {job_id: (runs, failures) for job_id, runs, failures in week}
    return {
        job_id: JobRecord(
            last_run=last_runs.get(job_id),
            runs_this_week=counts.get(job_id, (0, 0))[0],
            failures_this_week=counts.get(job_id, (0, 0))[1],
        )
        for job_id in job_ids
    }


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
