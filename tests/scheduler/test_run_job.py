"""`flask scheduler run-job ID`: one run of one job, as the scheduler runs it."""

import logging
from datetime import timedelta

from sqlmodel import select

from community import leases
from community.db import get_engine
from community.models import JobRun
from community.models.types import utcnow
from community.scheduler.running import run_once


def _old_run(session):
    long_ago = utcnow() - timedelta(days=40)
    session.add(JobRun(job_id="feeds.poll_due", holder="h", started_at=long_ago))
    session.commit()


def test_run_job_runs_the_job_once_and_records_the_run(runner, session):
    _old_run(session)

    result = runner.invoke(args=["scheduler", "run-job", "scheduler.prune_job_runs"])

    assert result.exit_code == 0, result.output
    assert "scheduler.prune_job_runs succeeded in" in result.output
    (run,) = session.exec(select(JobRun)).all()  # the job pruned the 40-day-old run
    assert (run.job_id, run.status, run.started_by) == (
        "scheduler.prune_job_runs",
        "succeeded",
        "command line",
    )
    assert run.finished_at >= run.started_at


def test_an_unknown_job_is_refused_with_the_list_of_jobs(runner, session):
    result = runner.invoke(args=["scheduler", "run-job", "feeds.pol"])

    assert result.exit_code != 0
    assert "there is no job 'feeds.pol'; the jobs are:" in result.output
    assert "feeds.poll_due" in result.output and "scheduler.heartbeat" in result.output
    assert session.exec(select(JobRun)).all() == []


def test_a_job_never_runs_twice_at_once(app, runner, session):
    _old_run(session)
    engine = get_engine(app)
    assert leases.acquire_or_renew(
        engine, name="job:scheduler.prune_job_runs", holder="the scheduler", ttl_seconds=60
    )

    result = runner.invoke(args=["scheduler", "run-job", "scheduler.prune_job_runs"])

    assert result.exit_code != 0
    assert "scheduler.prune_job_runs is running now; try again when it has finished" in (
        result.output
    )
    assert [run.job_id for run in session.exec(select(JobRun))] == ["feeds.poll_due"]
    leases.release(engine, name="job:scheduler.prune_job_runs", holder="the scheduler")
    assert runner.invoke(args=["scheduler", "run-job", "scheduler.prune_job_runs"]).exit_code == 0


def test_the_lease_is_released_after_the_run(app, runner):
    runner.invoke(args=["scheduler", "run-job", "scheduler.heartbeat"])

    assert leases.current_holder(get_engine(app), name="job:scheduler.heartbeat") is None


def test_frequent_jobs_log_at_debug_and_the_rest_at_info(app, caplog):
    # A first run pays one-off costs (imports, first queries) that once took over a second
    # on a loaded machine, and a slow run is rightly logged at INFO: warm up first.
    run_once(app, "scheduler.heartbeat")
    run_once(app, "outbox.deliver")
    caplog.set_level(logging.DEBUG, logger="community.scheduler")
    caplog.clear()

    run_once(app, "scheduler.heartbeat")
    run_once(app, "outbox.deliver")
    run_once(app, "scheduler.prune_job_runs")
    run_once(app, "scheduler.heartbeat", started_by="ada@example.org")

    levels = [
        (record.levelname, record.getMessage().split(" succeeded")[0])
        for record in caplog.records
        if record.name == "community.scheduler"
    ]
    assert levels == [
        ("DEBUG", "job scheduler.heartbeat"),
        ("DEBUG", "job outbox.deliver"),
        ("INFO", "job scheduler.prune_job_runs"),
        ("INFO", "job scheduler.heartbeat"),  # run by hand: worth a line
    ]
