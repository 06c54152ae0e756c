"""Real `flask scheduler run` processes against a shared database."""

import os
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, select

from community.database_cli import upgrade_database
from community.db import build_engine, get_engine
from community.leases import current_holder
from community.models import JobRun
from community.models.types import utcnow
from tests.conftest import SECRET
from tests.postgres import PostgresServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def start_scheduler(app_config):
    processes = []

    def start(database_url: str = app_config["DATABASE_URL"], lease_seconds: int = 3):
        env = {
            **os.environ,
            "SECRET_KEY": SECRET,
            "DATABASE_URL": database_url,
            "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
            "SCHEDULER_HEARTBEAT_SECONDS": "1",
            "SCHEDULER_LEASE_SECONDS": str(lease_seconds),
            "SLACK_BOT_TOKEN": "",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def _heartbeats(app_or_engine) -> list[JobRun]:
    engine = app_or_engine if isinstance(app_or_engine, Engine) else get_engine(app_or_engine)
    with Session(engine) as session:
        statement = (
            select(JobRun).where(JobRun.job_id == "scheduler.heartbeat").order_by(JobRun.started_at)
        )
        return list(session.exec(statement))


def _wait_for(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def _at_least(count: int, app):
    def check():
        runs = _heartbeats(app)
        return runs if len(runs) >= count else None

    return check


def _pid(run: JobRun) -> int:
    return int(run.holder.split(":")[1])


def test_two_scheduler_processes_run_each_trigger_once(app, start_scheduler):
    # A lease long enough that a machine busy with other tests does not pass it on midway.
    first, second = start_scheduler(lease_seconds=15), start_scheduler(lease_seconds=15)

    _wait_for(_at_least(5, app))
    first.terminate()
    second.terminate()
    first.wait(timeout=30)
    second.wait(timeout=30)
    runs = _heartbeats(app)  # read once both have stopped: none is still running

    assert first.returncode == 0 and second.returncode == 0
    holders = {run.holder for run in runs}
    assert len(holders) == 1, f"both processes ran the job: {holders}"
    starts = [run.started_at for run in runs]
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(starts)]
    assert min(gaps) > 0.5, f"a trigger ran twice: gaps {gaps}"
    assert all(run.status == "succeeded" for run in runs), [run.status for run in runs]


def test_standby_takes_over_when_the_running_scheduler_is_killed(app, start_scheduler):
    processes = {process.pid: process for process in (start_scheduler(), start_scheduler())}
    leader_pid = _pid(_wait_for(_at_least(1, app))[0])

    processes[leader_pid].send_signal(signal.SIGKILL)
    processes[leader_pid].wait(timeout=10)
    killed_at = len(_heartbeats(app))

    def standby_ran():
        later = _heartbeats(app)[killed_at:]
        return [run for run in later if _pid(run) != leader_pid]

    taken_over = _wait_for(lambda: len(standby_ran()) >= 2 and standby_ran())
    (standby_pid,) = {_pid(run) for run in taken_over}
    assert standby_pid in processes and standby_pid != leader_pid


@pytest.fixture
def restartable_postgres():
    """A server of this test's own, since stopping the shared one would fail other tests."""
    server = PostgresServer()
    server.start()
    admin = create_engine(f"{server.base_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE community"))
    admin.dispose()
    database_url = f"{server.base_url}/community"
    migrating = build_engine(database_url)
    upgrade_database(migrating)
    migrating.dispose()
    yield server, database_url
    server.remove()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_scheduler_outlives_a_database_outage_longer_than_its_lease(
    restartable_postgres, start_scheduler
):
    server, database_url = restartable_postgres
    engine = create_engine(database_url, poolclass=NullPool)
    scheduler = start_scheduler(database_url)
    (first_beat,) = _wait_for(_at_least(1, engine))[:1]

    server.stop()
    time.sleep(8)  # lease is 3 s, the heartbeat 1 s: several renewals and beats fail
    if scheduler.poll() is not None:
        pytest.fail(f"the scheduler exited while the database was away:\n{scheduler.stderr.read()}")
    server.start()
    back_at = utcnow()

    def beats_after_restart():
        return [run for run in _heartbeats(engine) if run.started_at > back_at]

    resumed = _wait_for(lambda: len(beats_after_restart()) >= 2 and beats_after_restart())
    assert {run.holder for run in resumed} == {first_beat.holder}
    assert current_holder(engine, name="scheduler") == first_beat.holder
    scheduler.terminate()
    scheduler.wait(timeout=30)
    assert scheduler.returncode == 0
    assert "cannot reach the database" in scheduler.stderr.read()
    engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_scheduler_keeps_trying_when_the_database_refuses_its_job_store(
    restartable_postgres, start_scheduler
):
    """The lease is taken but starting the jobs fails: the process waits, it does not exit."""
    server, owner_url = restartable_postgres
    owner = create_engine(owner_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text("CREATE ROLE scheduler_only LOGIN"))
        connection.execute(text("GRANT ALL ON ALL TABLES IN SCHEMA public TO scheduler_only"))
        connection.execute(text("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO scheduler_only"))
    # PostgreSQL 15 lets no one but the owner create tables in `public`: the job store's
    # table cannot be made until this role is allowed to.
    scheduler = start_scheduler(owner_url.replace("postgres@", "scheduler_only@"))
    _wait_for(lambda: current_holder(owner, name="scheduler"))
    time.sleep(3)
    if scheduler.poll() is not None:
        pytest.fail(
            f"the scheduler exited when its job store was refused:\n{scheduler.stderr.read()}"
        )
    assert _heartbeats(owner) == []

    with owner.connect() as connection:
        connection.execute(text("GRANT CREATE ON SCHEMA public TO scheduler_only"))
    _wait_for(_at_least(1, owner))
    scheduler.terminate()
    scheduler.wait(timeout=30)
    assert scheduler.returncode == 0
    assert "cannot reach the database (ProgrammingError)" in scheduler.stderr.read()
    owner.dispose()
