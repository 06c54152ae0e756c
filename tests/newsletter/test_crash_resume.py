"""A send killed with SIGKILL half way resumes and delivers exactly one copy to each person."""

import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from community.models import Delivery
from community.models.newsletter import DeliveryStatus
from tests.newsletter.conftest import issue_week

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PEOPLE = [f"reader{number}@example.org" for number in range(1, 7)]


def _environment(app_config: dict) -> dict:
    return {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "OUTBOX_DIR": str(app_config["OUTBOX_DIR"]),
        "SMTP_URL": app_config["SMTP_URL"],
        "PUBLIC_URL": app_config["PUBLIC_URL"],
    }


def test_a_send_killed_half_way_resumes_with_one_copy_each(
    app, app_config, runner, subscribers, mail_server, session
):
    subscribers(*PEOPLE)
    built = runner.invoke(
        args=["newsletter", "build", "--week", issue_week(app).isoformat(), "--json"]
    )
    issue_id = json.loads(built.stdout)["issue"]
    mail_server.hold_at = 4  # the fourth recipient's server answer never comes

    sender = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "newsletter",
            "send",
            str(issue_id),
            "--rate",
            "0",
        ],
        cwd=PROJECT_ROOT,
        env=_environment(app_config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert mail_server.held.wait(timeout=60), "the sender never reached the fourth message"
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=10)
    finally:
        mail_server.release()
    assert sorted(len(mail_server.to(email)) for email in PEOPLE) == [0, 0, 0, 1, 1, 1]

    resumed = runner.invoke(args=["newsletter", "send", str(issue_id), "--rate", "0", "--json"])

    assert json.loads(resumed.stdout)["sent"] == 3
    assert [len(mail_server.to(email)) for email in PEOPLE] == [1] * len(PEOPLE)
    statuses = session.exec(select(Delivery.status).where(Delivery.issue_id == issue_id)).all()
    assert statuses == [DeliveryStatus.SENT] * len(PEOPLE)
