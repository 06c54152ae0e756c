"""What `make run` does, step by step, on an empty instance folder, and what it prints."""

import email
import os
import re
import signal
import socket
import subprocess
import time
from email import policy
from pathlib import Path
from urllib.request import urlopen

import httpx
import pytest

from tests.conftest import SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, attempts: int = 300):
    for _ in range(attempts):
        try:
            with urlopen(url, timeout=5) as response:  # noqa: S310  (a local test server)
                return response.status, response.headers, response.read().decode()
        except OSError as error:
            if getattr(error, "code", None):
                return error.code, error.headers, error.read().decode()
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def _make_run(tmp_path, port: int, **extra) -> subprocess.Popen:
    """The real `make run`, minus the venv install and .env steps (the suite's venv is
    installed, and the working tree's .env is nobody's business here)."""
    env = {
        **{name: value for name, value in os.environ.items() if name != "PUBLIC_URL"},
        "SECRET_KEY": SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'community.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "SCHEDULER_HEARTBEAT_SECONDS": "1",
        "SLACK_BOT_TOKEN": "",
        "SMTP_URL": "",
        "PORT": str(port),
        "PYTHONFAULTHANDLER": "1",
        **extra,
    }
    command = ["make", "--no-print-directory", "-o", "install", "-o", ".env", "run"]
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # make, flask dev and the scheduler child stop together
    )


def _stop(server: subprocess.Popen) -> tuple[str, str]:
    """SIGTERM to make, the web server and the scheduler child, as Ctrl-C or a service
    manager sends it. Whatever is still running a minute later dumps its threads' stacks
    (PYTHONFAULTHANDLER, on SIGABRT) into the failure, so a hang says where it hangs."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        return server.communicate(timeout=60)
    except subprocess.TimeoutExpired as timeout:
        left = subprocess.run(
            ["ps", "-o", "pid,stat,args", "--sid", str(server.pid)], capture_output=True, text=True
        ).stdout
        os.killpg(server.pid, signal.SIGABRT)
        _, stderr = server.communicate(timeout=30)
        raise AssertionError(
            f"make run did not stop within 60 s of SIGTERM; still running:\n{left}\n"
            f"its stderr ends:\n{stderr[-6000:]}"
        ) from timeout


def test_make_run_migrates_loads_demo_and_serves_web_with_scheduler(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _make_run(tmp_path, port)
    try:
        status, _, home = _get(f"{base}/")
        assert status == 200
        assert "Cost-Aware LLM Serving" in home
        status, headers, metrics = _get(f"{base}/metrics")
        assert status == 200
        assert headers["Content-Type"].startswith("text/plain")
        assert "community_http_requests_total" in metrics
        assert _heartbeat_seen(f"{base}/healthz"), "the scheduler never ran"
        time.sleep(3)  # a few more heartbeats, which must not be logged
    finally:
        stdout, stderr = _stop(server)
    assert _no_scheduler_left(tmp_path)
    assert f"on {base}/" in stdout
    assert ".venv/bin/flask --app app users create-organiser you@example.org" in stdout
    assert stderr.count("Slack is off") == 1, stderr  # by the web server, not every step
    assert "GET / 200" in stderr and "GET /healthz 200" in stderr  # a line per request
    assert stderr.count("scheduler runs 19 jobs:") == 1  # its timetable, once at start
    assert "scheduler.heartbeat succeeded" not in stderr, stderr
    assert "apscheduler" not in stderr and "alembic" not in stderr, stderr


def test_links_in_emails_and_the_calendar_carry_the_port_make_run_serves_on(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _make_run(tmp_path, port)
    try:
        _get(f"{base}/")
        _, _, calendar = _get(f"{base}/events.ics")
        with httpx.Client(base_url=base, timeout=10) as browser:
            form = browser.get("/newsletter").text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            answer = browser.post(
                "/newsletter", data={"email": "ada@example.org", "csrf_token": token}
            )
            assert answer.status_code == 200
            link = _link_in_the_confirmation_email(tmp_path / "outbox")
            assert link.startswith(f"{base}/newsletter/confirm/")
            assert browser.get(link).status_code == 200
    finally:
        _stop(server)
    unfolded = calendar.replace("\r\n ", "")
    assert f"URL:{base}/events/" in unfolded
    assert "127.0.0.1:5000" not in unfolded


def test_a_configured_public_url_wins_over_the_port(tmp_path):
    port = _free_port()
    server = _make_run(tmp_path, port, PUBLIC_URL="https://community.example.org")
    try:
        _, _, calendar = _get(f"http://127.0.0.1:{port}/events.ics")
    finally:
        stdout, _ = _stop(server)
    assert "URL:https://community.example.org/events/" in calendar.replace("\r\n ", "")
    assert "point at PUBLIC_URL=https://community.example.org" in stdout


def _link_in_the_confirmation_email(outbox: Path) -> str:
    for _ in range(100):
        for path in outbox.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            text = message.get_body(preferencelist=("plain",)).get_content()
            return re.search(r"https?://\S+/newsletter/confirm/\S+", text).group(0)
        time.sleep(0.2)
    raise AssertionError("no confirmation email was written")


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
