"""Two web processes, each with its own index folder, on one PostgreSQL database.

An organiser approves an item through one; members searching through the other find it
within two seconds, because both follow the database's change log.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ItemStatus, SourceKind
from tests.conftest import SECRET
from tests.helpers import ORGANISER_EMAIL, ORGANISER_PASSWORD, add_organiser, csrf_token

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FOLLOW_DEADLINE_SECONDS = 2.0
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_web_node(app_config, tmp_path):
    processes = []

    def start(name: str, engine: str) -> str:
        port = _free_port()
        env = {
            **os.environ,
            "SECRET_KEY": SECRET,
            "DATABASE_URL": app_config["DATABASE_URL"],
            "SEARCH_INDEX_DIR": str(tmp_path / f"index-{name}"),
            "OUTBOX_DIR": str(tmp_path / f"outbox-{name}"),
            "SEARCH_FOLLOW_SECONDS": "1",
            "SEARCH_ENGINE": engine,
            "SLACK_BOT_TOKEN": "",
            "SMTP_URL": "",
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4"]
            + ["--bind", f"127.0.0.1:{port}", "app:app"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, process)
        return base

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_serving(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the web process exited"
        try:
            httpx.get(f"{base}/healthz", timeout=2)  # also starts its follow thread
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start")


def _titles(base: str, question: str) -> list[str]:
    response = httpx.get(f"{base}/api/search", params={"q": question}, timeout=10)
    response.raise_for_status()
    return [hit["title"] for hit in response.json()["results"]]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_item_approved_through_one_node_is_found_through_the_other(
    session, start_web_node, engine
):
    add_organiser(session)
    source = get_or_create_source(session=session, kind=SourceKind.FEED, name="Blog")
    data = ItemData(
        kind="post",
        external_id="p1",
        title="Serving LLMs on spot instances",
        body_text="Checkpoint the KV cache before the instance is reclaimed.",
    )
    item, _ = upsert_item(session=session, source=source, data=data, status=ItemStatus.PENDING)
    session.commit()
    first, second = start_web_node("first", engine), start_web_node("second", engine)
    assert _titles(second, "spot instances reclaimed") == []

    with httpx.Client(base_url=first, follow_redirects=True, timeout=10) as organiser:
        token = csrf_token(organiser.get("/login").text)
        organiser.post(
            "/login",
            data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
        )
        token = csrf_token(organiser.get("/admin/curation").text)
        approved = organiser.post(f"/admin/curation/{item.id}/approve", data={"csrf_token": token})
        assert "approved" in approved.text
    approved_at = time.monotonic()

    while "Serving LLMs on spot instances" not in _titles(second, "spot instances reclaimed"):
        assert time.monotonic() - approved_at < FOLLOW_DEADLINE_SECONDS, "the second node lags"
        time.sleep(0.05)
    assert _titles(first, "spot instances reclaimed") == ["Serving LLMs on spot instances"]
    lag = httpx.get(f"{second}/healthz", timeout=10).json()["checks"]["index_lag"]
    assert lag["changes_behind"] == 0
