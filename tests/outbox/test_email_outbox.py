"""Email leaves through the outbox: queued in the change's transaction, sent after it."""

from sqlalchemy import update
from sqlmodel import select

from community.db import session_scope
from community.models import OutboxStatus, OutgoingEmail
from community.models.types import utcnow
from community.outbox import queue_email
from community.outbox.retries import MAX_ATTEMPTS
from community.outbox.worker import deliver_outbox as outbox_job
from tests.helpers import deliver_outbox


def _emails(session) -> list[OutgoingEmail]:
    session.expire_all()
    return list(session.exec(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def _make_due(session) -> None:
    session.execute(update(OutgoingEmail).values(next_attempt_at=utcnow()))
    session.commit()


def _queue(app, **email) -> bool:
    with app.app_context(), session_scope() as session:
        return queue_email(
            session, **{"to": "ada@example.org", "subject": "Hi", "text": "Hello", **email}
        )


def test_a_queued_email_is_sent_by_the_worker_after_the_commit(app, make_app, session, mail_server):
    app = make_app(SMTP_URL=mail_server.url)

    assert _queue(app, subject="Your place", text="See you there")
    deliver_outbox(app)

    (message,) = mail_server.to("ada@example.org")
    (row,) = _emails(session)
    assert message["Subject"] == "Your place"
    assert message["Message-ID"] == f"<mail-{row.id}@localhost>"
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


def test_an_email_queued_in_a_savepoint_leaves_once_the_whole_change_commits(
    make_app, session, mail_server
):
    """As event reminders are queued: each in a savepoint of the job's one transaction."""
    app = make_app(SMTP_URL=mail_server.url)

    with app.app_context(), session_scope() as unit:
        with unit.begin_nested():
            queue_email(unit, to="ada@example.org", subject="Starting soon", text="…")
        deliver_outbox(app)  # the worker, had the savepoint woken it, saw nothing committed
        assert mail_server.received == []
    deliver_outbox(app)

    (message,) = mail_server.to("ada@example.org")
    assert message["Subject"] == "Starting soon"
    assert [row.status for row in _emails(session)] == [OutboxStatus.SENT]


def test_a_change_that_rolls_back_sends_nothing(make_app, session, mail_server):
    app = make_app(SMTP_URL=mail_server.url)

    try:
        with app.app_context(), session_scope() as unit:
            queue_email(unit, to="ada@example.org", subject="Your place", text="…")
            raise RuntimeError("the change failed after queueing its email")
    except RuntimeError:
        pass
    deliver_outbox(app)

    assert _emails(session) == []
    assert mail_server.received == []


def test_one_smtp_connection_carries_a_whole_batch(make_app, mail_server):
    from tests.mail_server import StallingRelay

    with StallingRelay(mail_server.port) as relay:
        app = make_app(SMTP_URL=relay.url)
        with app.app_context(), session_scope() as unit:
            for number in range(40):
                queue_email(unit, to=f"reader{number}@example.org", subject="Cancelled", text="…")
        deliver_outbox(app)

        assert len(mail_server.received) == 40
        assert relay.connections == 1


def test_an_email_sent_during_an_outage_arrives_once_the_server_is_back(
    make_app, session, mail_server
):
    down = make_app(SMTP_URL="smtp://127.0.0.1:9")  # nothing listens there
    working = make_app(SMTP_URL=mail_server.url)

    assert _queue(down, subject="Your place")
    deliver_outbox(down)
    (queued,) = _emails(session)
    assert (queued.status, queued.attempts) == (OutboxStatus.PENDING, 1)
    assert queued.next_attempt_at > utcnow()
    assert "cannot reach the mail server" in queued.last_error

    with working.app_context():
        outbox_job()  # not due yet: it waits before retrying
        assert mail_server.received == []
        _make_due(session)
        outbox_job()
        outbox_job()

    (message,) = mail_server.to("ada@example.org")
    assert message["Message-ID"] == f"<mail-{queued.id}@localhost>"
    assert _emails(session)[0].status == OutboxStatus.SENT


def test_an_address_refused_for_good_is_not_retried(make_app, session, mail_server):
    mail_server.refuse["gone@example.org"] = "550 5.1.1 No such user"
    app = make_app(SMTP_URL=mail_server.url)

    _queue(app, to="gone@example.org")
    _queue(app, to="ada@example.org")
    deliver_outbox(app)
    _make_due(session)
    with app.app_context():
        outbox_job()

    refused, delivered = _emails(session)
    assert (refused.status, refused.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in refused.last_error
    assert delivered.status == OutboxStatus.SENT  # one refusal does not hold up the rest


def test_retries_wait_longer_each_time_and_stop_after_the_last_attempt(make_app, session):
    down = make_app(SMTP_URL="smtp://127.0.0.1:9")
    waits = []

    _queue(down)
    deliver_outbox(down)
    with down.app_context():
        for _ in range(MAX_ATTEMPTS - 1):
            waits.append(_emails(session)[0].next_attempt_at - utcnow())
            _make_due(session)
            outbox_job()

    email = _emails(session)[0]
    assert email.status == OutboxStatus.FAILED and email.attempts == MAX_ATTEMPTS
    assert waits[0] < waits[1] < waits[2]


def test_a_header_with_a_line_break_is_refused_without_queueing(app, session):
    assert not _queue(app, subject="Hi\nBcc: x@example.org")

    assert _emails(session) == []
