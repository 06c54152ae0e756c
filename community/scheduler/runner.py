"""Runs the scheduler in its own process while it holds the database lease.

Two processes started by mistake are safe: the one that holds the lease runs the
jobs, the other waits and takes over when the lease expires.
"""

import logging
import os
import signal
import socket
import threading
import time
import traceback
import uuid

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlmodel import Session

from community.db import get_engine
from community.models import JobRun
from community.models.types import utcnow
from community.scheduler import lease
from community.scheduler.timetable import register_jobs, remove_retired_jobs
from community.scheduler.timetable import resolve as resolve_job

LEASE_NAME = "scheduler"
JOBSTORE_TABLE = "apscheduler_jobs"
log = logging.getLogger("community.scheduler")

# The app and lease holder of this process, for jobs that APScheduler calls by reference.
_current: dict = {}


def run_scheduler(app: Flask, *, stop: threading.Event | None = None) -> None:
    """Run jobs whenever this process holds the lease, until SIGTERM/SIGINT or `stop`."""
    stop = stop or _stop_on_signals()
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    _current.update(app=app, holder=holder)
    ttl = app.config["SCHEDULER_LEASE_SECONDS"]
    scheduler = None
    log.info("scheduler %s started; waiting for the lease", holder)
    try:
        while not stop.is_set():
            held = lease.acquire_or_renew(
                get_engine(app), name=LEASE_NAME, holder=holder, ttl_seconds=ttl
            )
            if held and scheduler is None:
                log.info("scheduler %s holds the lease and runs jobs", holder)
                scheduler = _start_scheduler(app)
            elif not held and scheduler is not None:
                log.warning("scheduler %s lost the lease; standing by", holder)
                scheduler.shutdown(wait=True)
                scheduler = None
            stop.wait(ttl / 3)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        lease.release(get_engine(app), name=LEASE_NAME, holder=holder)
        log.info("scheduler %s stopped", holder)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _start_scheduler(app: Flask) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=get_engine(app), tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=app.config["COMMUNITY_TIMEZONE"],
    )
    register_jobs(scheduler, app.config)
    scheduler.start()
    remove_retired_jobs(scheduler, app.config)
    return scheduler


def run_job(job_id: str) -> None:
    """Entry point APScheduler calls: runs one job inside an app context and records the run."""
    app, holder = _current["app"], _current["holder"]
    engine = get_engine(app)
    if not lease.holds(engine, name=LEASE_NAME, holder=holder):
        log.warning("skipped %s: this process no longer holds the scheduler lease", job_id)
        return
    run = _record_start(engine, job_id, holder)
    started = time.perf_counter()
    try:
        with app.app_context():
            resolve_job(job_id, app.config)()
    except Exception as error:
        _record_finish(engine, run, "failed", "".join(traceback.format_exception(error)))
        log.exception("job %s failed", job_id, extra={"job": job_id, "status": "failed"})
        return
    _record_finish(engine, run, "succeeded")
    duration_ms = (time.perf_counter() - started) * 1000
    log.info(
        "job %s succeeded in %.0fms",
        job_id,
        duration_ms,
        extra={"job": job_id, "status": "succeeded", "duration_ms": round(duration_ms)},
    )


def _record_start(engine, job_id: str, holder: str) -> JobRun:
    with Session(engine, expire_on_commit=False) as session:
        run = JobRun(job_id=job_id, holder=holder)
        session.add(run)
        session.commit()
        return run


def _record_finish(engine, run: JobRun, status: str, error: str | None = None) -> None:
    with Session(engine) as session:
        run = session.merge(run)
        run.status, run.error, run.finished_at = status, error, utcnow()
        session.commit()
