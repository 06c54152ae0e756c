"""Commands say what they did and nothing else: no Slack notice from every `flask` command."""

import os
import subprocess
import sys
from pathlib import Path

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
