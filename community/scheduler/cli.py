"""`flask scheduler run`: the one process that runs scheduled jobs."""

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="Run scheduled jobs.")


@scheduler_cli.command("run")
def run_command() -> None:
    """Run jobs until stopped (SIGTERM or Ctrl-C). Start one per deployment."""
    from community.scheduler.runner import run_scheduler  # every job's module

    click.echo("Scheduler started; press Ctrl-C to stop.")
    current_app.extensions["search_follower"].start()
    run_scheduler(current_app._get_current_object())
