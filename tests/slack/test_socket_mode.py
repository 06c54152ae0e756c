"""`flask slack socket`: events arrive over a WebSocket instead of signed HTTP requests."""

import json
import os
import queue
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

from tests.slack.fake_slack import BOT_USER_ID
from tests.slack.test_asking import QUESTION

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MENTION_ENVELOPE = {
    "envelope_id": "env-1",
    "type": "events_api",
    "accepts_response_payload": False,
    "payload": {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "EvSocket1",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": f"<@{BOT_USER_ID}> {QUESTION}",
            "channel": "C1",
            "ts": "500.1",
        },
    },
}


class SocketModeServer:
    """Plays Slack's Socket Mode endpoint: sends one event, collects what the app sends back."""

    def __init__(self):
        self.received: queue.Queue = queue.Queue()
        self._server = serve(self._talk, "127.0.0.1", 0)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _talk(self, connection):
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        connection.send(json.dumps(MENTION_ENVELOPE))
        try:
            for message in connection:
                self.received.put(json.loads(message))
        except ConnectionClosed:
            pass  # the app process was stopped at the end of the test

    def acknowledgement(self, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.received.get(timeout=left)
            except queue.Empty:
                return None
            if message.get("envelope_id") == "env-1":
                return message
        return None

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_):
        self._server.shutdown()


@pytest.fixture
def socket_mode_process(app_config, slack, demo, tmp_path):
    with SocketModeServer() as server, open(tmp_path / "socket.log", "w") as log:
        slack.socket_url = server.url
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "slack", "socket"],
            cwd=PROJECT_ROOT,
            env=_environment(app_config),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)


def _environment(app_config: dict) -> dict:
    return {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_APP_TOKEN": "xapp-test-token",
        "SLACK_API_URL": app_config["SLACK_API_URL"],
    }


def test_socket_mode_acknowledges_and_answers_a_mention_in_its_thread(socket_mode_process, slack):
    assert socket_mode_process.acknowledgement(timeout=20) is not None

    message = _wait_for_post(slack, timeout=20)
    assert message["channel"] == "C1"
    assert message["thread_ts"] == "500.1"
    assert "Detecting Model Drift in Production" in json.dumps(message["blocks"])


def _wait_for_post(slack, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if posts := slack.calls_to("chat.postMessage"):
            return posts[0]
        time.sleep(0.1)
    raise AssertionError("the answer never reached Slack's Web API")


def test_socket_mode_without_an_app_token_explains_what_is_needed(runner):
    result = runner.invoke(args=["slack", "socket"])

    assert result.exit_code != 0
    assert "SLACK_APP_TOKEN" in result.output
