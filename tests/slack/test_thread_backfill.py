"""`flask slack import-threads`: threads solved before the bot was there become drafts."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from community.models import ContentItem, ItemStatus
from tests.conftest import SECRET
from tests.slack.signed_requests import SIGNING_SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HELP = "CHELP0001"
DAY = 1764547200  # 2025-12-01 00:00 UTC
SINCE = "2025-12-01"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SLACK_HELP_CHANNELS": HELP, "SLACK_ORGANISERS": "UORG1"}


def _ts(hours: float) -> str:
    return f"{DAY + hours * 3600:.6f}"


def _thread(slack, hours: float, asker: str, *replies: tuple[str, list[str]]) -> str:
    """A question at DAY + hours and its replies: (author, who ✅ed it)."""
    root = {"ts": _ts(hours), "user": asker, "text": f"Question {hours} from {asker}?"}
    messages = [root]
    for number, (author, check_marks) in enumerate(replies, start=1):
        reply = {"ts": _ts(hours + number / 60), "user": author, "text": f"Answer by {author}"}
        if check_marks:
            reply["reactions"] = [{"name": "white_check_mark", "users": check_marks}]
        messages.append(reply)
    root["reply_count"] = len(replies)
    slack.messages.setdefault(HELP, []).append(root)
    slack.threads[(HELP, root["ts"])] = messages
    return root["ts"]


@pytest.fixture
def history(slack):
    """Oldest first: one solved before SINCE, then five questions, three of them solved."""
    roots = {
        "too old": _thread(slack, -48, "U1", ("U2", ["U1"])),
        "by asker": _thread(slack, 1, "U1", ("U2", ["U1"]), ("U3", [])),
        "by stranger": _thread(slack, 2, "U3", ("U4", ["U9"])),
        "no replies": _thread(slack, 3, "U5"),
        "by organiser": _thread(slack, 4, "U6", ("U2", ["UORG1"])),
        "late": _thread(slack, 5, "U7", ("U8", ["U7"])),
    }
    return roots


def _drafts(session) -> list[ContentItem]:
    session.expire_all()
    statement = select(ContentItem).where(ContentItem.kind == "thread")
    return sorted(session.exec(statement), key=lambda item: item.external_id)


def _import(runner, *extra: str):
    args = ["slack", "import-threads", HELP, "--since", SINCE, "--pause", "0", "--json", *extra]
    return runner.invoke(args=args)


def test_threads_solved_by_the_asker_or_an_organiser_become_drafts(runner, slack, history, session):
    result = _import(runner)

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["threads_seen"], report["drafts_made"]) == (4, 3)
    drafts = _drafts(session)
    assert {draft.external_id.rsplit(":", 1)[1] for draft in drafts} == {
        _ts(1 + 1 / 60),
        _ts(4 + 1 / 60),
        _ts(5 + 1 / 60),
    }
    assert {draft.status for draft in drafts} == {ItemStatus.PENDING}

    again = json.loads(_import(runner).output)  # a second run adds nothing
    assert again["drafts_made"] == 0 and len(_drafts(session)) == 3


def test_only_help_channels_are_read(runner, slack, history):
    result = runner.invoke(args=["slack", "import-threads", "CGENERAL1", "--since", SINCE])

    assert result.exit_code != 0 and "SLACK_HELP_CHANNELS" in result.output
    assert [method for method, _ in slack.calls if method.startswith("conversations.")] == []


def test_rate_limited_calls_are_retried_after_retry_after(runner, slack, history, session):
    slack.rate_limit_next = {"conversations.replies": 1, "conversations.history": 1}

    assert json.loads(_import(runner).output)["drafts_made"] == 3


def _backfill_process(app_config, slack) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_HELP_CHANNELS": HELP,
        "SLACK_ORGANISERS": "UORG1",
    }
    command = ["slack", "import-threads", HELP, "--since", SINCE, "--pause", "0", "--json"]
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", *command],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_a_killed_backfill_resumes_where_it_stopped(app, app_config, slack, history, session):
    slack.history_page_size = 2
    slack.hang_on_call = {"conversations.replies": 3}  # the third thread, newest first
    process = _backfill_process(app_config, slack)
    assert slack.hanging.wait(60), process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert len(_drafts(session)) == 2  # the two newest solved threads were done
    slack.release_hang()

    resumed = _backfill_process(app_config, slack)
    output, errors = resumed.communicate(timeout=120)

    assert resumed.returncode == 0, errors
    report = json.loads(output)
    assert report["resumed"] is True and report["threads_seen"] == 4
    assert len(_drafts(session)) == 3
    read = [call["ts"] for call in slack.calls_to("conversations.replies") if "cursor" not in call]
    assert read.count(history["late"]) == read.count(history["by organiser"]) == 1
