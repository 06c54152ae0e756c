"""A delivery process killed with SIGKILL between sending and recording.

Slack: the resend finds the message in the channel by its outbox tag and posts nothing.
Email: SMTP cannot be asked, so the one message in flight goes again with the same
Message-ID (the window the README names); every other message arrives once.
"""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlmodel import select

from community.db import session_scope
from community.models import OutboxStatus, OutgoingEmail, OutgoingSlackMessage
from community.models.types import utcnow
from community.outbox import queue_email, queue_slack_message
from community.outbox.claims import CLAIM_TIMEOUT
from tests.conftest import SECRET

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READERS = [f"reader{number}@example.org" for number in range(1, 6)]


def _start_delivery(app_config: dict, **settings) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": app_config["DATABASE_URL"],
        "SEARCH_INDEX_DIR": str(app_config["SEARCH_INDEX_DIR"]),
        "OUTBOX_DIR": str(app_config["OUTBOX_DIR"]),
        "PUBLIC_URL": app_config["PUBLIC_URL"],
        "SLACK_BOT_TOKEN": app_config["SLACK_BOT_TOKEN"],
        "SLACK_SIGNING_SECRET": app_config["SLACK_SIGNING_SECRET"],
        "SLACK_API_URL": app_config["SLACK_API_URL"],
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "outbox", "deliver"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_when(held, process: subprocess.Popen) -> None:
    try:
        assert held.wait(timeout=60), "the delivery never reached the held message"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def _after_the_claim_timeout():
    return time_machine.travel(utcnow() + CLAIM_TIMEOUT + timedelta(seconds=5), tick=True)


def test_a_slack_message_posted_just_before_a_kill_is_not_posted_again(
    app, app_config, runner, session, slack
):
    app.extensions["outbox"].stop()  # the subprocess is the one delivering
    with app.app_context(), session_scope() as unit:
        for channel in ("C1", "U2", "C3"):
            queue_slack_message(unit, channel=channel, text=f"for {channel}")
    slack.hold_after_posting = True  # the first post reaches Slack; its answer never comes

    _kill_when(slack.posted_and_holding, _start_delivery(app_config))
    slack.release_post()
    with _after_the_claim_timeout():
        result = runner.invoke(args=["outbox", "deliver", "--json"])

    assert result.exit_code == 0, result.output
    channels = [call["channel"] for call in slack.calls_to("chat.postMessage")]
    assert sorted(channels) == ["C1", "C3", "U2"]  # each once, the first not reposted
    session.expire_all()
    rows = session.exec(select(OutgoingSlackMessage).order_by(OutgoingSlackMessage.id)).all()
    assert [row.status for row in rows] == [OutboxStatus.SENT] * 3
    assert rows[0].message_ts == slack.messages["C1"][0]["ts"]


def test_an_email_in_flight_at_a_kill_is_resent_with_its_message_id_and_no_other_twice(
    make_app, app_config, session, mail_server
):
    app = make_app(SMTP_URL=mail_server.url)
    app.extensions["outbox"].stop()
    with app.app_context(), session_scope() as unit:
        for reader in READERS:
            queue_email(unit, to=reader, subject="Cancelled", text="Sorry")
    mail_server.hold_after_data = True  # the first message arrives; its 250 never does

    _kill_when(mail_server.held, _start_delivery(app_config, SMTP_URL=mail_server.url))
    mail_server.release()
    assert [len(mail_server.to(reader)) for reader in READERS] == [1, 0, 0, 0, 0]
    with _after_the_claim_timeout():
        result = app.test_cli_runner().invoke(args=["outbox", "deliver", "--json"])

    assert result.exit_code == 0, result.output
    copies = [mail_server.to(reader) for reader in READERS]
    assert [len(received) for received in copies] == [2, 1, 1, 1, 1]
    assert len({message["Message-ID"] for message in copies[0]}) == 1  # recognisably one
    session.expire_all()
    assert set(session.exec(select(OutgoingEmail.status)).all()) == {OutboxStatus.SENT}
