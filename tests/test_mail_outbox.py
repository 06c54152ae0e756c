"""Transactional email survives a mail outage: queued in the database, retried with waits."""

from sqlalchemy import update
from sqlmodel import select

from community.mail import MAX_ATTEMPTS, deliver_pending_emails, send_email
from community.models import EmailStatus, OutgoingEmail
from community.models.types import utcnow


def _emails(session) -> list[OutgoingEmail]:
    session.expire_all()
    return list(session.exec(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def _make_due(session) -> None:
    session.execute(update(OutgoingEmail).values(next_attempt_at=utcnow()))
    session.commit()


def test_an_email_sent_during_an_outage_arrives_once_the_server_is_back(
    make_app, session, mail_server
):
    down = make_app(SMTP_URL="smtp://127.0.0.1:9")  # nothing listens there
    working = make_app(SMTP_URL=mail_server.url)

    with down.app_context():
        assert send_email(to="ada@example.org", subject="Your place", text="See you there")
    (queued,) = _emails(session)
    assert (queued.status, queued.attempts) == (EmailStatus.PENDING, 1)
    assert queued.next_attempt_at > utcnow()

    with working.app_context():
        assert deliver_pending_emails() == 0  # not due yet: it waits before retrying
        _make_due(session)
        assert deliver_pending_emails() == 1
        assert deliver_pending_emails() == 0

    (message,) = mail_server.to("ada@example.org")
    assert message["Subject"] == "Your place"
    assert message["Message-ID"] == f"<mail-{queued.id}@localhost>"
    assert _emails(session)[0].status == EmailStatus.SENT


def test_an_address_refused_for_good_is_not_retried(make_app, session, mail_server):
    mail_server.refuse["gone@example.org"] = "550 5.1.1 No such user"

    with make_app(SMTP_URL=mail_server.url).app_context():
        assert not send_email(to="gone@example.org", subject="Hi", text="Hello")
        _make_due(session)
        deliver_pending_emails()

    (email,) = _emails(session)
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert "550" in email.last_error


def test_retries_wait_longer_each_time_and_stop_after_the_last_attempt(make_app, session):
    down = make_app(SMTP_URL="smtp://127.0.0.1:9")
    waits = []

    with down.app_context():
        send_email(to="ada@example.org", subject="Hi", text="Hello")
        for _ in range(MAX_ATTEMPTS - 1):
            email = _emails(session)[0]
            waits.append(email.next_attempt_at - utcnow())
            _make_due(session)
            deliver_pending_emails()

    email = _emails(session)[0]
    assert email.status == EmailStatus.FAILED and email.attempts == MAX_ATTEMPTS
    assert waits[0] < waits[1] < waits[2]


def test_a_header_with_a_line_break_is_refused_without_queueing(app, session):
    with app.app_context():
        assert not send_email(to="ada@example.org", subject="Hi\nBcc: x@example.org", text="…")

    assert _emails(session) == []
