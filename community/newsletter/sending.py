"""Sending an issue: one delivery row per recipient, committed after each message.

A crash, `kill -9` or SMTP outage leaves the rows of everyone not yet reached pending,
and sending again picks up exactly there. The only message that can arrive twice is the
one in flight at the moment of a crash; it is resent with the same Message-ID, which
receiving servers use to recognise it.
"""

import logging
import time
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import quote

from flask import current_app
from sqlalchemy import update
from sqlmodel import Session, select

from community.db import get_engine
from community.mail import mail_transport, message_domain
from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import DeliveryStatus, IssueStatus, SubscriberStatus
from community.models.types import utcnow
from community.newsletter.issues import pending_count
from community.newsletter.rendering import personalise
from community.newsletter.tokens import subscriber_token
from integrations.mail.messages import compose
from integrations.mail.transport import PermanentMailError, TemporaryMailError

log = logging.getLogger("community.newsletter")
BATCH = 200
MAX_ATTEMPTS = 5


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    stopped: str | None = None  # why sending paused early, e.g. the mail server is down


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    name: str
    status: str


def send_issue(issue_id: int, *, rate_per_second: float | None = None) -> SendReport:
    """Delivers every pending row of a sending issue; safe to run again after any failure."""
    if rate_per_second is None:
        rate_per_second = current_app.config["NEWSLETTER_RATE_PER_SECOND"]
    report, throttle = SendReport(), Throttle(rate_per_second)
    transport = mail_transport()
    try:
        with Session(get_engine(), expire_on_commit=False) as session:
            issue = session.get(NewsletterIssue, issue_id)
            if issue is None or issue.status != IssueStatus.SENDING:
                raise ValueError(f"issue {issue_id} is not being sent (start sending it first)")
            while report.stopped is None and (batch := _next_batch(session, issue_id)):
                for recipient in batch:
                    throttle.wait()
                    _deliver(session, transport, issue, recipient, report)
                    if report.stopped:
                        break
            report.pending = pending_count(session, issue_id)
            if report.pending == 0:
                issue.status, issue.sent_at = IssueStatus.SENT, utcnow()
                session.commit()
    finally:
        transport.close()
    return report


def _deliver(
    session: Session, transport, issue: NewsletterIssue, recipient: Recipient, report
) -> None:
    if recipient.status != SubscriberStatus.CONFIRMED:
        _mark(session, recipient, status=DeliveryStatus.SKIPPED)
        report.skipped += 1
        return
    message = newsletter_message(issue, recipient)
    try:
        transport.send(message)
    except PermanentMailError as error:
        _bounce(session, recipient, str(error))
        report.failed += 1
        return
    except TemporaryMailError as error:
        _retry_later(session, recipient, str(error), report)
        return
    _mark(
        session,
        recipient,
        status=DeliveryStatus.SENT,
        sent_at=utcnow(),
        message_id=message["Message-ID"],
    )
    report.sent += 1


def newsletter_message(issue: NewsletterIssue, recipient: Recipient):
    public_url = current_app.config["PUBLIC_URL"].rstrip("/")
    token = subscriber_token(recipient.subscriber_id)
    unsubscribe_url = f"{public_url}/newsletter/unsubscribe/{token}"
    preferences_url = f"{public_url}/newsletter/preferences/{token}"
    links = {"unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url}
    domain = message_domain()
    mailbox = parseaddr(current_app.config["MAIL_FROM"])[1]
    mail_subject = quote(f"unsubscribe {token}")
    return compose(
        sender=current_app.config["MAIL_FROM"],
        to=recipient.email,
        subject=issue.subject,
        text=personalise(issue.text, **links),
        html=personalise(issue.html, **links),
        message_domain=domain,
        message_id=f"<newsletter-{issue.id}-{recipient.subscriber_id}@{domain}>",
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>, <mailto:{mailbox}?subject={mail_subject}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{current_app.config['COMMUNITY_NAME']} weekly <newsletter.{domain}>",
        },
    )


def _next_batch(session: Session, issue_id: int) -> list[Recipient]:
    statement = (
        select(Delivery.id, Subscriber.id, Subscriber.email, Subscriber.name, Subscriber.status)
        .join(Subscriber, Delivery.subscriber_id == Subscriber.id)
        .where(Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.PENDING)
        .order_by(Delivery.id)
        .limit(BATCH)
    )
    return [Recipient(*row) for row in session.exec(statement)]


def _mark(session: Session, recipient: Recipient, **values) -> None:
    """Committed at once: after a crash this row must already say what happened."""
    session.execute(update(Delivery).where(Delivery.id == recipient.delivery_id).values(**values))
    session.commit()


def _bounce(session: Session, recipient: Recipient, error: str) -> None:
    session.execute(
        update(Subscriber)
        .where(Subscriber.id == recipient.subscriber_id)
        .values(status=SubscriberStatus.BOUNCED)
    )
    _mark(session, recipient, status=DeliveryStatus.FAILED, last_error=error[:2000])
    log.warning("newsletter to %s refused for good: %s", recipient.email, error)


def _retry_later(session: Session, recipient: Recipient, error: str, report: SendReport) -> None:
    """A temporary failure: usually the server is down for everyone, so pause the run."""
    attempts = session.get(Delivery, recipient.delivery_id).attempts + 1
    status = DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
    _mark(session, recipient, attempts=attempts, status=status, last_error=error[:2000])
    report.stopped = f"mail server trouble, will resume: {error}"
    log.warning("newsletter sending paused: %s", error)


class Throttle:
    """Spaces messages evenly to stay under `rate` per second; 0 means as fast as possible."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval
