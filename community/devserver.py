"""`flask dev`: web server and scheduler together on one machine, as `make run` starts them."""

import signal
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from community.config import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@click.command("dev")
@with_appcontext
@click.option("--port", envvar="PORT", default=5000, type=int, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def dev_command(port: int, host: str) -> None:
    """Serve the web UI and run the scheduler in a child process until Ctrl-C."""
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "scheduler", "run"], cwd=PROJECT_ROOT
    )
    # SIGTERM must unwind through `finally`, or the scheduler child outlives us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Serving {settings().COMMUNITY_NAME} on http://{host}:{port}/")
    try:
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
