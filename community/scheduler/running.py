"""One run of one job, however it was started: by the schedule, *Run now* or `run-job`.

Each run holds the job's own lease while it works, so a job never runs twice at once
(the schedule and a *Run now*, or two organisers pressing it), and is recorded in
job_run, whose rows commit on their own so a failed job is still recorded.
"""

import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from community import leases
from community.config import settings_of
from community.db import get_engine
from community.models import JobRun
from community.models.types import utcnow
from community.scheduler.timetable import ScheduledJob, find, timetable

log = logging.getLogger("community.scheduler")
LONG_RUN_SECONDS = 1.0  # a frequent job that takes longer than this is worth a line


class UnknownJob(LookupError):
    def __init__(self, job_id: str, known: list[str]):
        super().__init__(f"there is no job {job_id!r}; the jobs are: {', '.join(known)}")


class JobAlreadyRunning(RuntimeError):
    def __init__(self, job_id: str):
        super().__init__(f"{job_id} is running now; try again when it has finished")


def process_name() -> str:
    """Names this process in leases and job runs: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def scheduled_job(app: Flask, job_id: str) -> ScheduledJob:
    job = find(job_id, settings_of(app))
    if job is None:
        raise UnknownJob(job_id, [job.id for job in timetable(settings_of(app))])
    return job


def run_once(
    app: Flask, job_id: str, *, holder: str | None = None, started_by: str | None = None
) -> JobRun:
    """Run the job now and record the run; JobAlreadyRunning when a run holds its lease."""
    job = scheduled_job(app, job_id)
    engine = get_engine(app)
    holder = holder or process_name()
    with job_lease(engine, job_id, holder, ttl=settings_of(app).SCHEDULER_LEASE_SECONDS):
        run = _record_start(engine, job_id, holder, started_by)
        started = time.perf_counter()
        try:
            with app.app_context():
                job.run()
        except Exception as error:  # the job's failure is recorded, never raised
            _record_finish(engine, run, "failed", "".join(traceback.format_exception(error)))
            log.exception("job %s failed", job_id, extra={"job": job_id, "status": "failed"})
            return run
        _record_finish(engine, run, "succeeded")
    _log_success(job, time.perf_counter() - started, started_by)
    return run


def _log_success(job: ScheduledJob, seconds: float, started_by: str | None) -> None:
    """Frequent jobs (the heartbeat, every-minute polls) at DEBUG, unless slow or by hand."""
    quiet = job.frequent and started_by is None and seconds < LONG_RUN_SECONDS
    log.log(
        logging.DEBUG if quiet else logging.INFO,
        "job %s succeeded in %.0fms%s",
        job.id,
        seconds * 1000,
        f" (run by {started_by})" if started_by else "",
        extra={"job": job.id, "status": "succeeded", "duration_ms": round(seconds * 1000)},
    )


@contextmanager
def job_lease(engine: Engine, job_id: str, holder: str, *, ttl: float) -> Iterator[None]:
    """Hold `job:<id>` while the job runs, renewed every third of its life; a process that
    dies leaves a lease that ends on its own."""
    name, holder = f"job:{job_id}", f"{holder}:{uuid.uuid4().hex[:6]}"
    if not leases.acquire_or_renew(engine, name=name, holder=holder, ttl_seconds=ttl):
        raise JobAlreadyRunning(job_id)
    done = threading.Event()
    renewing = threading.Thread(
        target=_renew, args=(engine, name, holder, ttl, done), name=f"lease {name}", daemon=True
    )
    renewing.start()
    try:
        yield
    finally:
        done.set()
        renewing.join()
        try:
            leases.release(engine, name=name, holder=holder)
        except SQLAlchemyError as error:  # it expires on its own
            log.warning("could not release the lease of %s: %s", job_id, error)


def _renew(engine: Engine, name: str, holder: str, ttl: float, done: threading.Event) -> None:
    while not done.wait(ttl / 3):
        try:
            leases.acquire_or_renew(engine, name=name, holder=holder, ttl_seconds=ttl)
        except SQLAlchemyError as error:
            log.warning("could not renew the lease %s: %s", name, error)


def _record_start(engine: Engine, job_id: str, holder: str, started_by: str | None) -> JobRun:
    with Session(engine, expire_on_commit=False) as session:
        run = JobRun(job_id=job_id, holder=holder, started_by=started_by)
        session.add(run)
        session.commit()
        return run


def _record_finish(engine: Engine, run: JobRun, status: str, error: str | None = None) -> None:
    try:
        with Session(engine, expire_on_commit=False) as session:
            merged = session.merge(run)
            merged.status, merged.error, merged.finished_at = status, error, utcnow()
            session.commit()
            run.status, run.error, run.finished_at = status, error, merged.finished_at
    except SQLAlchemyError as database_error:  # the run stays "running" in the history
        log.warning("could not record that %s %s: %s", run.job_id, status, database_error)
