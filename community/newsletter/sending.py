"""Sending an issue: one delivery row per recipient, committed after each message.

A crash, `kill -9` or SMTP outage leaves the rows of everyone not yet reached pending,
and sending again picks up exactly there. The only message that can arrive twice is the
one in flight at the moment of a crash; it is resent with the same Message-ID, which
receiving servers use to recognise it. An address the server defers (4xx) is tried again
with the outbox's growing waits and given up on after as many attempts (`outbox.retries`).
One sender works on an issue at a time (a lease in the database), so the scheduler and a
resume from the command line never overlap.
"""

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from email.utils import parseaddr
from urllib.parse import quote

from sqlalchemy import Connection, or_, update
from sqlmodel import Session, select

from community import leases
from community.config import settings
from community.db import get_engine
from community.links import public_url
from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import DeliveryStatus, IssueStatus, SubscriberStatus
from community.models.types import utcnow
from community.newsletter.issues import pending_count
from community.newsletter.rendering import example_links, personalise
from community.newsletter.subscriptions import find_subscriber
from community.newsletter.tokens import subscriber_token
from community.outbox import retries
from community.outbox.composing import mail_transport, message_domain
from community.outbox.mail_failures import MailFailure, classify
from community.throttle import Throttle
from integrations.mail.messages import compose
from integrations.mail.transport import MailError

log = logging.getLogger("community.newsletter")
BATCH = 200
LEASE_SECONDS = 120


class SendingBusy(RuntimeError):
    """Another process is sending this issue right now."""


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0  # addresses the server asked to try later; they stay pending
    pending: int = 0
    stopped: str | None = None  # why sending paused early, e.g. the mail server is down


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    subscriber_id: int
    email: str
    name: str
    status: str
    attempts: int = 0


@dataclass
class _Run:
    issue: NewsletterIssue
    connection: Connection
    transport: object
    report: SendReport = field(default_factory=SendReport)


def send_issue(issue_id: int, *, rate_per_second: float | None = None) -> SendReport:
    """Delivers every pending row of a sending issue; safe to run again after any failure."""
    if rate_per_second is None:
        rate_per_second = settings().NEWSLETTER_RATE_PER_SECOND
    engine, name, holder = get_engine(), f"newsletter-issue-{issue_id}", _holder()
    if not _acquire(engine, name, holder):
        raise SendingBusy(f"issue {issue_id} is being sent by another process; try again later")
    try:
        return _send_all(issue_id, Throttle(rate_per_second), _Renewal(engine, name, holder))
    finally:
        leases.release(engine, name=name, holder=holder)


def _send_all(issue_id: int, throttle: Throttle, renew) -> SendReport:
    with Session(get_engine(), expire_on_commit=False) as session:
        issue = session.get(NewsletterIssue, issue_id)
        if issue is None or issue.status != IssueStatus.SENDING:
            raise ValueError(f"issue {issue_id} is not being sent (start sending it first)")
        session.expunge(issue)
    transport = mail_transport(settings())
    try:
        with get_engine().connect() as connection:
            run = _Run(issue, connection, transport)
            while run.report.stopped is None and (batch := _next_batch(run)):
                for recipient in batch:
                    renew()
                    throttle.wait()
                    _deliver(run, recipient)
                    if run.report.stopped:
                        break
    finally:
        transport.close()
    return _finish(issue_id, run.report)


def _finish(issue_id: int, report: SendReport) -> SendReport:
    with Session(get_engine()) as session:
        report.pending = pending_count(session, issue_id)
        if report.pending == 0:
            issue = session.get(NewsletterIssue, issue_id)
            issue.status, issue.sent_at = IssueStatus.SENT, utcnow()
            session.commit()
    return report


def _deliver(run: _Run, recipient: Recipient) -> None:
    if recipient.status != SubscriberStatus.CONFIRMED:
        _mark(run, recipient, status=DeliveryStatus.SKIPPED)
        run.report.skipped += 1
        return
    message = newsletter_message(run.issue, recipient)
    try:
        run.transport.send(message)
    except MailError as error:
        _failed(run, recipient, error)
        return
    _mark(
        run,
        recipient,
        status=DeliveryStatus.SENT,
        sent_at=utcnow(),
        message_id=message["Message-ID"],
    )
    run.report.sent += 1


def _failed(run: _Run, recipient: Recipient, error: MailError) -> None:
    failure = classify(error)
    if failure == MailFailure.RELAY:  # the server, the sender address or the settings: pause
        run.report.stopped = f"mail server trouble, will resume: {error}"
        log.warning("newsletter sending paused: %s", error)
        return
    if failure == MailFailure.REFUSED:
        _bounce(run, recipient, str(error))
        return
    attempts = recipient.attempts + 1
    status = DeliveryStatus.FAILED if retries.gives_up(attempts) else DeliveryStatus.PENDING
    _mark(
        run,
        recipient,
        attempts=attempts,
        status=status,
        last_error=str(error)[:2000],
        next_attempt_at=retries.next_attempt_at(attempts),
    )
    run.report.deferred += status == DeliveryStatus.PENDING
    run.report.failed += status == DeliveryStatus.FAILED


def _bounce(run: _Run, recipient: Recipient, error: str) -> None:
    run.connection.execute(
        update(Subscriber)
        .where(Subscriber.id == recipient.subscriber_id)
        .values(status=SubscriberStatus.BOUNCED)
    )
    _mark(run, recipient, status=DeliveryStatus.FAILED, last_error=error[:2000])
    run.report.failed += 1
    log.warning("newsletter to %s refused for good: %s", recipient.email, error)


def _reader_links(subscriber_id: int) -> dict[str, str]:
    token = subscriber_token(subscriber_id)
    return {
        "unsubscribe_url": public_url(f"/newsletter/unsubscribe/{token}"),
        "preferences_url": public_url(f"/newsletter/preferences/{token}"),
    }


def preview_copy(issue: NewsletterIssue, links: dict[str, str] | None = None) -> tuple[str, str]:
    """The issue's text and HTML as a reader sees them; unless given a reader's own links,
    its manage and unsubscribe links lead to a page that says what they do."""
    links = links or example_links()
    return personalise(issue.text, **links), personalise(issue.html, **links)


def test_copy(session: Session, issue: NewsletterIssue, email: str) -> tuple[str, str]:
    """The copy an organiser sends to `email`: its links are that subscriber's own, or the
    explaining page's when the address is not on the list."""
    subscriber = find_subscriber(session, email)
    links = _reader_links(subscriber.id) if subscriber is not None else None
    return preview_copy(issue, links)


def newsletter_message(issue: NewsletterIssue, recipient: Recipient):
    token = subscriber_token(recipient.subscriber_id)
    links = _reader_links(recipient.subscriber_id)
    unsubscribe_url = links["unsubscribe_url"]
    domain = message_domain(settings())
    mailbox = parseaddr(settings().MAIL_FROM)[1]
    mailto = f"mailto:{mailbox}?subject={quote(f'unsubscribe {token}')}"
    return compose(
        sender=settings().MAIL_FROM,
        to=recipient.email,
        subject=issue.subject,
        text=personalise(issue.text, **links),
        html=personalise(issue.html, **links),
        message_domain=domain,
        message_id=f"<newsletter-{issue.id}-{recipient.subscriber_id}@{domain}>",
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<newsletter.{domain}>",
        },
    )


def _next_batch(run: _Run) -> list[Recipient]:
    """Pending deliveries whose wait after a deferral, if any, is over."""
    statement = (
        select(
            Delivery.id,
            Subscriber.id,
            Subscriber.email,
            Subscriber.name,
            Subscriber.status,
            Delivery.attempts,
        )
        .join(Subscriber, Delivery.subscriber_id == Subscriber.id)
        .where(
            Delivery.issue_id == run.issue.id,
            Delivery.status == DeliveryStatus.PENDING,
            or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= utcnow()),
        )
        .order_by(Delivery.id)
        .limit(BATCH)
    )
    rows = [Recipient(*row) for row in run.connection.execute(statement)]
    run.connection.commit()  # end the read, so each mark below is its own short transaction
    return rows


def _mark(run: _Run, recipient: Recipient, **values) -> None:
    """Committed at once: after a crash this row must already say what happened."""
    run.connection.execute(
        update(Delivery).where(Delivery.id == recipient.delivery_id).values(**values)
    )
    run.connection.commit()


class _Renewal:
    """Keeps the sending lease while messages go out, renewing it every 20 seconds."""

    def __init__(self, engine, name: str, holder: str):
        self.engine, self.name, self.holder = engine, name, holder
        self.renewed_at = time.monotonic()

    def __call__(self) -> None:
        if time.monotonic() - self.renewed_at < LEASE_SECONDS / 6:
            return
        held = leases.acquire_or_renew(
            self.engine, name=self.name, holder=self.holder, ttl_seconds=LEASE_SECONDS
        )
        if not held:
            raise SendingBusy("lost the sending lease to another process")
        self.renewed_at = time.monotonic()


def _acquire(engine, name: str, holder: str) -> bool:
    if leases.acquire_or_renew(engine, name=name, holder=holder, ttl_seconds=LEASE_SECONDS):
        return True
    # A sender killed on this machine leaves its lease behind; resuming need not wait for it.
    previous = leases.current_holder(engine, name=name)
    if previous is None or not _died_here(previous):
        return False
    return leases.take_over_from(
        engine, name=name, old_holder=previous, holder=holder, ttl=LEASE_SECONDS
    )


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{time.monotonic_ns()}"


def _died_here(holder: str) -> bool:
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
