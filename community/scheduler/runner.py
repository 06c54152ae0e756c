"""Runs the scheduler in its own process while it holds the database lease.

Two processes started by mistake are safe: the one that holds the lease runs the
jobs, the other waits and takes over when the lease expires.

A database that goes away (SQLite locked, PostgreSQL restarting) never ends the
process: every database error in the lease, a job or its record is logged and
retried with growing waits. Jobs stop while the lease cannot be renewed, so a
standby may take over once the database is back; the loop leaves only on SIGTERM,
SIGINT or `stop`.
"""

import logging
import signal
import threading
import time

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from community import leases
from community.config import settings_of
from community.db import get_engine
from community.scheduler.running import JobAlreadyRunning, process_name, run_once
from community.scheduler.status import JOBSTORE_TABLE
from community.scheduler.timetable import register_jobs, remove_retired_jobs, timetable

LEASE_NAME = "scheduler"
log = logging.getLogger("community.scheduler")

# The app and lease holder of this process, for jobs that APScheduler calls by reference.
_current: dict = {}


def run_scheduler(app: Flask, *, stop: threading.Event | None = None) -> None:
    """Run jobs whenever this process holds the lease, until SIGTERM/SIGINT or `stop`."""
    stop = stop or _stop_on_signals()
    holder = process_name()
    _current.update(app=app, holder=holder)
    ttl = settings_of(app).SCHEDULER_LEASE_SECONDS
    jobs = _Jobs(app, holder)
    backoff = Backoff(first=1.0, longest=ttl / 3)
    renewed_at = time.monotonic()
    log.info("scheduler %s started; waiting for the lease", holder)
    _log_timetable(app)
    try:
        while not stop.is_set():
            try:
                held = leases.acquire_or_renew(
                    get_engine(app), name=LEASE_NAME, holder=holder, ttl_seconds=ttl
                )
                if held:
                    jobs.start()
            except SQLAlchemyError as error:
                wait = backoff.next_wait()
                log.warning(
                    "scheduler %s cannot reach the database (%s); retrying in %.0fs",
                    holder,
                    error.__class__.__name__,
                    wait,
                )
                if time.monotonic() - renewed_at > ttl:
                    jobs.stop("its lease ran out while the database was away")
                stop.wait(wait)
                continue
            backoff.reset()
            renewed_at = time.monotonic()
            if not held:
                jobs.stop("it lost the lease")
            stop.wait(ttl / 3)
    finally:
        jobs.stop("it was told to stop", wait=True)
        _release_lease(app, holder)
        log.info("scheduler %s stopped", holder)


def _log_timetable(app: Flask) -> None:
    """Once at start; afterwards only what ran is logged."""
    jobs = timetable(settings_of(app))
    log.info(
        "scheduler runs %d jobs: %s",
        len(jobs),
        "; ".join(f"{job.id} {job.schedule}" for job in jobs),
    )


class Backoff:
    """Waits that double after each failure, up to `longest`, and start again on success."""

    def __init__(self, *, first: float, longest: float):
        self.first, self.longest, self.failures = first, max(first, longest), 0

    def next_wait(self) -> float:
        self.failures += 1
        return min(self.first * 2 ** (self.failures - 1), self.longest)

    def reset(self) -> None:
        self.failures = 0


class _Jobs:
    """The APScheduler instance that runs while this process holds the lease."""

    def __init__(self, app: Flask, holder: str):
        self.app, self.holder, self.scheduler = app, holder, None

    def start(self) -> None:
        """Start running jobs; a database error midway leaves nothing running, to retry."""
        if self.scheduler is None:
            log.info("scheduler %s holds the lease and runs jobs", self.holder)
            self.scheduler = _start_scheduler(self.app)

    def stop(self, reason: str, *, wait: bool = False) -> None:
        if self.scheduler is not None:
            log.warning("scheduler %s stops running jobs: %s", self.holder, reason)
            self.scheduler.shutdown(wait=wait)
            self.scheduler = None


def _release_lease(app: Flask, holder: str) -> None:
    try:
        leases.release(get_engine(app), name=LEASE_NAME, holder=holder)
    except SQLAlchemyError as error:  # the lease expires on its own
        log.warning("scheduler %s could not release its lease: %s", holder, error)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


class _DatabaseTolerantScheduler(BackgroundScheduler):
    """APScheduler's loop catches errors reading due jobs but not writing a job's next run
    time: a database error there would end its thread quietly. Retry the pass instead."""

    def _process_jobs(self):
        try:
            return super()._process_jobs()
        except SQLAlchemyError as error:
            log.warning("scheduler could not update its job store (%s); retrying", error)
            return self.jobstore_retry_interval


def _start_scheduler(app: Flask) -> BackgroundScheduler:
    scheduler = _DatabaseTolerantScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=get_engine(app), tablename=JOBSTORE_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=settings_of(app).COMMUNITY_TIMEZONE,
    )
    register_jobs(scheduler, settings_of(app))
    try:
        scheduler.start()  # creates the job store's table and writes the jobs
        remove_retired_jobs(scheduler, settings_of(app))
    except SQLAlchemyError:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        raise
    return scheduler


def run_job(job_id: str) -> None:
    """Entry point APScheduler calls: runs one job inside an app context and records the run."""
    app, holder = _current["app"], _current["holder"]
    try:
        if not leases.holds(get_engine(app), name=LEASE_NAME, holder=holder):
            log.warning("skipped %s: this process no longer holds the scheduler lease", job_id)
            return
        run_once(app, job_id, holder=holder)
    except JobAlreadyRunning:
        log.info("skipped %s: a run started by hand is still going", job_id)
    except SQLAlchemyError as error:
        log.warning("skipped %s: the database is unavailable (%s)", job_id, error)
