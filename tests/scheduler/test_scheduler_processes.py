"""Real `flask scheduler run` processes against a shared database."""

import os
import signal
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest
from sqlmodel import Session, select

from community.db import get_engine
from community.models import JobRun
from tests.conftest import SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def start_scheduler(app_config):
    processes = []
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
        "SCHEDULER_LEASE_SECONDS": "3",
        "SLACK_BOT_TOKEN": "",
    }

    def start():
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


def _heartbeats(app) -> list[JobRun]:
    with Session(get_engine(app)) as session:
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
    first, second = start_scheduler(), start_scheduler()

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
