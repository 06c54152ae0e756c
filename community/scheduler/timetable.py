"""Every scheduled job in one place, read as a timetable.

Each job has a fixed id (so a restart replaces it instead of adding a copy) and a
misfire grace time that fits it: a missed heartbeat is worthless a minute later,
a missed weekly digest is still wanted hours later.
"""

from collections.abc import Callable

from apscheduler.schedulers.base import BaseScheduler

from community.scheduler import jobs

JOBS: dict[str, Callable[[], None]] = {
    "scheduler.heartbeat": jobs.heartbeat,
    "scheduler.prune_job_runs": jobs.prune_job_runs,
}


def register_jobs(scheduler: BaseScheduler, config: dict) -> None:
    _every(
        scheduler,
        "scheduler.heartbeat",
        seconds=config["SCHEDULER_HEARTBEAT_SECONDS"],
        grace_seconds=config["SCHEDULER_HEARTBEAT_SECONDS"],
    )
    _daily(scheduler, "scheduler.prune_job_runs", hour=3, minute=30, grace_seconds=6 * 3600)


def remove_retired_jobs(scheduler: BaseScheduler) -> None:
    """Drop stored jobs that this timetable no longer lists (a job was renamed or removed)."""
    for job in scheduler.get_jobs():
        if job.id not in JOBS:
            job.remove()


def resolve(job_id: str) -> Callable[[], None]:
    return JOBS[job_id]


def _every(scheduler: BaseScheduler, job_id: str, *, grace_seconds: int, **interval) -> None:
    _add(scheduler, job_id, "interval", grace_seconds, **interval)


def _daily(scheduler: BaseScheduler, job_id: str, *, hour: int, minute: int, grace_seconds: int):
    _add(scheduler, job_id, "cron", grace_seconds, hour=hour, minute=minute)


def _add(scheduler: BaseScheduler, job_id: str, trigger: str, grace_seconds: int, **fields) -> None:
    scheduler.add_job(
        "community.scheduler.runner:run_job",
        trigger,
        args=[job_id],
        id=job_id,
        name=job_id,
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=grace_seconds,
        **fields,
    )
