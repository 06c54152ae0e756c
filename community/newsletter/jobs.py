"""Scheduled work for the newsletter; the scheduler calls these inside an app context."""

import logging

from sqlmodel import select

from community.config import settings
from community.db import session_scope
from community.models import NewsletterIssue
from community.models.newsletter import IssueStatus
from community.newsletter import issues
from community.newsletter.sending import SendingBusy, send_issue

log = logging.getLogger("community.newsletter")


def build_weekly_issue() -> None:
    """Exactly one issue per week: a second run (or a second process) finds the first."""
    with session_scope() as session:
        issue, built = issues.build_issue(session)
        if built and settings().NEWSLETTER_AUTO_SEND:
            issues.start_sending(session, issue)
    log.info(
        "newsletter for the week of %s %s", issue.week_of, "built" if built else "already built"
    )


def send_pending_issues() -> None:
    """Delivers issues being sent; after a crash or an outage this is the resume."""
    with session_scope() as session:
        sending = session.exec(
            select(NewsletterIssue.id).where(NewsletterIssue.status == IssueStatus.SENDING)
        ).all()
    for issue_id in sending:
        try:
            report = send_issue(issue_id)
        except SendingBusy as error:  # a resume from the command line is at work
            log.info("%s", error)
            continue
        log.info(
            "newsletter %s: %d sent, %d failed, %d pending",
            issue_id,
            report.sent,
            report.failed,
            report.pending,
        )
