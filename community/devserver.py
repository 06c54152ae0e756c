"""`flask dev`: web server and scheduler together on one machine, as `make run` starts them."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from community.config import settings
from community.slackbot.views import say_when_slack_is_off

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@click.command("dev")
@with_appcontext
@click.option("--port", envvar="PORT", default=5000, type=int, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def dev_command(port: int, host: str) -> None:
    """Serve the web UI and run the scheduler in a child process until Ctrl-C."""
    config = settings()
    config.serve_on_port(port)  # links in emails follow the port unless PUBLIC_URL is set
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PORT": str(port)},
    )
    # SIGTERM must unwind through `finally`, or the scheduler child outlives us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _print_welcome(config, f"http://{host}:{port}")
    say_when_slack_is_off(current_app)
    try:
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)


def _print_welcome(config, address: str) -> None:
    click.echo(f"Serving {config.COMMUNITY_NAME} on {address}/ (Ctrl-C stops it)")
    if not config.public_url_follows_port:
        click.echo(f"Links in emails, calendars and feeds point at PUBLIC_URL={config.PUBLIC_URL}")
    click.echo(f"To log in at {address}/login, create an organiser account first:")
    click.echo(f"  {create_organiser_command()} you@example.org")


def create_organiser_command() -> str:
    """The command, as this machine runs it: the venv's flask, relative when it can be."""
    flask = Path(sys.executable).parent / "flask"
    with contextlib.suppress(ValueError):  # outside the working folder: the full path
        flask = flask.relative_to(Path.cwd())
    return f"{flask} --app app users create-organiser"
