"""`flask scheduler run` (the one process that runs scheduled jobs) and `run-job`."""

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Run scheduled jobs.")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run jobs until stopped (SIGTERM or Ctrl-C). Start one per deployment."""
    from community.scheduler.runner import run_scheduler  # every job's module

    current_app.extensions["search_follower"].start()
    run_scheduler(current_app._get_current_object())


@scheduler_cli.command("run-job")
@click.argument("job_id")
def run_job_command(job_id: str) -> None:
    """Run one job now, as the scheduler does (never while a run of it is going)."""
    from community.scheduler.running import JobAlreadyRunning, UnknownJob, run_once

    try:
        run = run_once(current_app._get_current_object(), job_id, started_by="command line")
    except (UnknownJob, JobAlreadyRunning) as error:
        raise click.ClickException(str(error)) from error
    seconds = (run.finished_at - run.started_at).total_seconds()
    if run.status != "succeeded":
        raise click.ClickException(f"{job_id} failed after {seconds:.1f} s:\n{run.error}")
    click.echo(f"{job_id} succeeded in {seconds:.1f} s.")
