"""Starting the app loads only what every command needs: `flask --help` stays quick.

Libraries that only some commands or settings use (Alembic for `flask db`, Bolt and the
Slack SDK when Slack is on, tantivy for SEARCH_ENGINE=tantivy, numpy for the first search,
httpx and feedparser for fetching, PyYAML, Markdown and email_validator for the first post,
page or address) are imported when they are used. Slack is off here: no Slack settings reach
the interpreter.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SECRET

ROOT = Path(__file__).resolve().parent.parent
# Whoosh and numpy: the engines and the semantic model; httpx and feedparser: polling and
# transcripts.
ONLY_SOME_COMMANDS_NEED = (
    "alembic",
    "slack_bolt",
    "slack_sdk",
    "yaml",
    "markdown",
    "email_validator",
    "tantivy",
    "whoosh",
    "numpy",
    "httpx",
    "feedparser",
)
# Prints the top-level modules loaded once the app exists and `then` has run.
LOADED = """
import json, sys
import app
{then}
import gc
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
print(json.dumps(gc.isenabled()))
"""


def _import_app(tmp_path, then: str = "pass") -> tuple[set[str], bool]:
    """`import app` in a fresh interpreter (then `then`): the top-level modules it loaded, and
    whether the garbage collector is on (app.py holds it off while the app is built)."""
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'community.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(then=then)],
        cwd=tmp_path,  # no .env from the checkout
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    *_, modules, collecting = done.stdout.splitlines()
    return set(json.loads(modules)), json.loads(collecting)


def test_creating_the_app_with_slack_off_loads_no_command_only_library(tmp_path):
    loaded, collecting = _import_app(tmp_path)

    assert collecting, "the garbage collector must be back on once the app is built"
    assert "flask" in loaded and "community" in loaded
    assert loaded.isdisjoint(ONLY_SOME_COMMANDS_NEED), loaded & set(ONLY_SOME_COMMANDS_NEED)


def test_a_command_that_needs_a_library_loads_it_when_it_runs(tmp_path):
    loaded, _ = _import_app(
        tmp_path, then="app.app.test_cli_runner().invoke(args=['db', 'upgrade'])"
    )

    assert "alembic" in loaded
    assert loaded.isdisjoint({"slack_bolt", "tantivy"})
