"""Slack messages leave through the outbox and survive a Slack outage."""

from sqlalchemy import update
from sqlmodel import select

from community.db import session_scope
from community.models import OutboxStatus, OutgoingSlackMessage
from community.models.types import utcnow
from community.outbox import queue_slack_message
from community.outbox.worker import deliver_outbox as outbox_job
from tests.helpers import deliver_outbox


def _messages(session) -> list[OutgoingSlackMessage]:
    session.expire_all()
    return list(session.exec(select(OutgoingSlackMessage).order_by(OutgoingSlackMessage.id)))


def _queue(app, channel="U1", text="Your place is confirmed") -> None:
    with app.app_context(), session_scope() as session:
        assert queue_slack_message(session, channel=channel, text=text)


def test_a_dm_missed_in_a_slack_outage_is_posted_once_slack_is_back(app, session, slack):
    slack.down.add("chat.postMessage")

    _queue(app)
    deliver_outbox(app)
    (waiting,) = _messages(session)
    assert (waiting.status, waiting.attempts) == (OutboxStatus.PENDING, 1)

    slack.down.clear()
    session.execute(update(OutgoingSlackMessage).values(next_attempt_at=utcnow()))
    session.commit()
    with app.app_context():
        outbox_job()
        outbox_job()

    (posted,) = slack.calls_to("chat.postMessage")
    assert posted["channel"] == "U1" and posted["text"] == "Your place is confirmed"
    (sent,) = _messages(session)
    assert sent.status == OutboxStatus.SENT and sent.message_ts


def test_a_message_slack_refuses_for_good_is_recorded_and_not_retried(app, session, slack):
    slack.errors["chat.postMessage"] = "channel_not_found"

    _queue(app, channel="CGONE")
    _queue(app, channel="C2", text="Next")
    deliver_outbox(app)

    refused, _ = _messages(session)
    assert refused.status == OutboxStatus.FAILED
    assert "channel_not_found" in refused.last_error
    assert len(slack.calls_to("chat.postMessage")) == 2  # the next one was still tried


def test_with_slack_off_nothing_is_queued(make_app, session):
    app = make_app(SLACK_BOT_TOKEN=None, SLACK_SIGNING_SECRET=None)

    with app.app_context(), session_scope() as unit:
        assert not queue_slack_message(unit, channel="U1", text="Hi")

    assert _messages(session) == []
