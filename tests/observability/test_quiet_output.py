"""Commands say what they did and nothing else: the web server, not every `flask` command,
says that Slack is off."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_flask_command_does_not_say_that_slack_is_off(app_config):
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "SLACK_BOT_TOKEN": "",
    }

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "users", "list"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert "Slack is off" not in result.stderr + result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_db_upgrade_says_where_the_database_stands_in_one_line(app_config):
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
    }

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip().endswith("is at revision head.")
    assert result.stderr == ""  # no line per migration, no Slack notice


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_web_server_says_once_that_slack_is_off(app_config, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SLACK_BOT_TOKEN": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
        + ["app:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}/healthz", server)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)

    assert stderr.count("Slack is off: set SLACK_BOT_TOKEN") == 1, stderr


def _wait_until_serving(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web server exited"
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
