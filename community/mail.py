"""Sending email from the service's settings (SMTP_URL, or the outbox folder).

Every email is written to the `outgoing_email` table before it is sent. When the mail
server is down the row stays pending and a scheduled job retries it with growing waits,
so an outage delays mail but loses none. Each row has a fixed Message-ID, which lets
receiving servers recognise a resend.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import update
from sqlmodel import Session, select

from community.db import get_engine
from community.models import EmailStatus, OutgoingEmail
from community.models.types import utcnow
from integrations.mail.messages import compose
from integrations.mail.transport import MailError, PermanentMailError, open_transport

log = logging.getLogger("community.mail")
MAX_ATTEMPTS = 10
LONGEST_WAIT = timedelta(hours=2)


def mail_transport(config=None):
    config = config or current_app.config
    return open_transport(config.get("SMTP_URL"), config["OUTBOX_DIR"])


def message_domain(config=None) -> str:
    config = config or current_app.config
    return urlsplit(config["PUBLIC_URL"]).hostname or "localhost"


def send_email(*, to: str, subject: str, text: str, html: str | None = None) -> bool:
    """Queue the email and try it at once; False only when it can never be delivered."""
    try:
        _message(OutgoingEmail(id=0, to_address=to, subject=subject, text=text, html=html))
    except ValueError as error:  # a header the email package refuses, e.g. a line break
        log.warning("email %r to %s refused: %s", subject, to, error)
        return False
    with Session(get_engine(), expire_on_commit=False) as session:
        email = OutgoingEmail(to_address=to, subject=subject, text=text, html=html)
        session.add(email)
        session.commit()
        status = _deliver_each(session, [email])
    return status != EmailStatus.FAILED


def deliver_pending_emails() -> int:
    """The retry job: pending emails whose wait is over, oldest first. Returns how many sent."""
    with Session(get_engine(), expire_on_commit=False) as session:
        due = session.exec(
            select(OutgoingEmail)
            .where(
                OutgoingEmail.status == EmailStatus.PENDING,
                OutgoingEmail.next_attempt_at <= utcnow(),
            )
            .order_by(OutgoingEmail.id)
            .limit(500)
        ).all()
        _deliver_each(session, due)
        return _count_sent(session, [email.id for email in due])


def _deliver_each(session: Session, emails: list[OutgoingEmail]) -> str | None:
    """Sends in order over one connection; stops at the first sign the server is down."""
    status, transport = None, mail_transport()
    try:
        for email in emails:
            status = _deliver(session, transport, email)
            if status == EmailStatus.PENDING:
                break
    finally:
        transport.close()
    return status


def _deliver(session: Session, transport, email: OutgoingEmail) -> str:
    try:
        transport.send(_message(email))
    except MailError as error:
        return _record_failure(session, email, error)
    _set(session, email, status=EmailStatus.SENT, sent_at=utcnow(), attempts=email.attempts + 1)
    return EmailStatus.SENT


def _record_failure(session: Session, email: OutgoingEmail, error: MailError) -> str:
    attempts = email.attempts + 1
    refused = isinstance(error, PermanentMailError) and error.recipient_only
    status = EmailStatus.FAILED if refused or attempts >= MAX_ATTEMPTS else EmailStatus.PENDING
    wait = min(timedelta(minutes=2**attempts), LONGEST_WAIT)
    _set(
        session,
        email,
        status=status,
        attempts=attempts,
        last_error=str(error)[:2000],
        next_attempt_at=utcnow() + wait,
    )
    log.warning("email %r to %s not sent (%s): %s", email.subject, email.to_address, status, error)
    return status


def _set(session: Session, email: OutgoingEmail, **values) -> None:
    session.execute(update(OutgoingEmail).where(OutgoingEmail.id == email.id).values(**values))
    session.commit()


def _count_sent(session: Session, ids: list[int]) -> int:
    if not ids:
        return 0
    statement = select(OutgoingEmail.id).where(
        OutgoingEmail.id.in_(ids), OutgoingEmail.status == EmailStatus.SENT
    )
    return len(session.exec(statement).all())


def _message(email: OutgoingEmail):
    domain = message_domain()
    return compose(
        sender=current_app.config["MAIL_FROM"],
        to=email.to_address,
        subject=email.subject,
        text=email.text,
        html=email.html,
        message_domain=domain,
        message_id=f"<mail-{email.id}@{domain}>",
    )
