"""What `make run` does, step by step, on an empty instance folder."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.conftest import SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, attempts: int = 100):
    for _ in range(attempts):
        try:
            with urlopen(url, timeout=5) as response:  # noqa: S310  (a local test server)
                return response.status, response.headers, response.read().decode()
        except OSError as error:
            if getattr(error, "code", None):
                return error.code, error.headers, error.read().decode()
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_migrate_load_demo_and_serve_web_with_scheduler(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'community.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
        "PORT": str(port),
    }
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    for step in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*flask, *step], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "dev"], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        status, _, home = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Cost-Aware LLM Serving" in home
        status, headers, metrics = _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert headers["Content-Type"].startswith("text/plain")
        assert "community_http_requests_total" in metrics
        assert _heartbeat_seen(f"http://127.0.0.1:{port}/healthz"), "the scheduler never ran"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server.stdout.close()
    assert _no_scheduler_left(tmp_path)


def _heartbeat_seen(url: str) -> bool:
    import json

    for _ in range(60):
        status, _, body = _get(url)
        if json.loads(body)["checks"]["scheduler_last_heartbeat"]:
            assert status == 200, body
            return True
        assert "scheduler" in json.loads(body)["failed"], body
        time.sleep(0.5)
    return False


def _no_scheduler_left(tmp_path) -> bool:
    result = subprocess.run(["pgrep", "-f", "scheduler run"], capture_output=True, text=True)
    for pid in result.stdout.split():
        environ = Path(f"/proc/{pid}/environ")
        if environ.exists() and str(tmp_path).encode() in environ.read_bytes():
            return False
    return True
