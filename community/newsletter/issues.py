"""Weekly issues: built once per week, edited as drafts, then handed to the sender."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, func, select

from community.config import settings
from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import (
    AnswerReview,
    DeliveryStatus,
    IssueAnswer,
    IssueStatus,
    SubscriberStatus,
)
from community.models.types import utcnow
from community.newsletter.answer_review import hold_in_draft, set_review
from community.newsletter.digest import DigestContent, SendingSchedule, gather_digest, week_of
from community.newsletter.rendering import render_issue, subject_for
from community.pagination import Page, paginate

ISSUES_PER_PAGE = 52  # a year of weekly issues


class IssueError(ValueError):
    pass


def current_week() -> date:
    return week_of(utcnow(), settings().COMMUNITY_TIMEZONE)


def sending_schedule() -> SendingSchedule:
    config = settings()
    return SendingSchedule(
        config.COMMUNITY_TIMEZONE, config.NEWSLETTER_SEND_DAY, config.NEWSLETTER_SEND_TIME
    )


def build_issue(session: Session, monday: date | None = None) -> tuple[NewsletterIssue, bool]:
    """The issue for that week, built now or found; (issue, built). A second run finds it."""
    monday = monday or current_week()
    existing = _issue_for_week(session, monday)
    if existing is not None:
        return existing, False
    content = _gather(session, monday)
    issue = NewsletterIssue(week_of=monday, subject=subject_for(content))
    try:
        with session.begin_nested():
            session.add(issue)
    except IntegrityError:  # another process built it at the same moment
        return _issue_for_week(session, monday), False
    _render(session, issue, content)
    return issue, True


def update_intro(session: Session, issue: NewsletterIssue, intro: str) -> None:
    """Re-renders the draft with the organiser's intro and this moment's content."""
    _refuse_unless_draft(issue)
    issue.intro = intro.strip()
    _render(session, issue, _gather(session, issue.week_of))


def review_answer(
    session: Session, issue: NewsletterIssue, answer: IssueAnswer, review: AnswerReview
) -> None:
    """Approves, drops or puts back a helpful answer, and re-renders the draft."""
    _refuse_unless_draft(issue)
    set_review(answer, review)
    _render(session, issue, _gather(session, issue.week_of))


def start_sending(session: Session, issue: NewsletterIssue) -> int:
    """Freezes the recipients: one pending delivery per confirmed subscriber. Idempotent."""
    if issue.status == IssueStatus.SENT:
        raise IssueError("this issue was already sent")
    if issue.status == IssueStatus.DRAFT:
        recipients = select(Subscriber.id).where(Subscriber.status == SubscriberStatus.CONFIRMED)
        rows = [
            {"issue_id": issue.id, "subscriber_id": sid, "status": DeliveryStatus.PENDING}
            for sid in session.exec(recipients)
        ]
        if rows:
            session.execute(insert(Delivery), rows)
        issue.status = IssueStatus.SENDING
        session.flush()
    return pending_count(session, issue.id)


def confirmed_count(session: Session) -> int:
    """How many an issue would reach if it started sending now."""
    statement = select(func.count()).where(Subscriber.status == SubscriberStatus.CONFIRMED)
    return session.exec(statement.select_from(Subscriber)).one()


@dataclass(frozen=True)
class SendingProgress:
    status: str
    total: int
    sent: int
    failed: int
    skipped: int
    pending: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.skipped


def sending_progress(session: Session, issue: NewsletterIssue) -> SendingProgress:
    """The issue's deliveries by status, counted from their index."""
    statement = (
        select(Delivery.status, func.count())
        .where(Delivery.issue_id == issue.id)
        .group_by(Delivery.status)
    )
    counts = dict(session.exec(statement).all())
    return SendingProgress(
        status=issue.status,
        total=sum(counts.values()),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        skipped=counts.get(DeliveryStatus.SKIPPED, 0),
        pending=counts.get(DeliveryStatus.PENDING, 0),
    )


def pending_count(session: Session, issue_id: int) -> int:
    statement = select(func.count()).where(
        Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.PENDING
    )
    return session.exec(statement.select_from(Delivery)).one()


def sent_issues(session: Session, limit: int = 100) -> list[NewsletterIssue]:
    statement = (
        select(NewsletterIssue)
        .where(NewsletterIssue.status == IssueStatus.SENT)
        .order_by(NewsletterIssue.week_of.desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def issues_page(
    session: Session, *, number: int = 1, sent_only: bool = False
) -> Page[NewsletterIssue]:
    """Newest first, without their HTML and text, which a list of issues does not show."""
    statement = (
        select(NewsletterIssue)
        .options(defer(NewsletterIssue.html), defer(NewsletterIssue.text))
        .order_by(NewsletterIssue.week_of.desc())
    )
    if sent_only:
        statement = statement.where(NewsletterIssue.status == IssueStatus.SENT)
    return paginate(session, statement, number=number, size=ISSUES_PER_PAGE)


def _refuse_unless_draft(issue: NewsletterIssue) -> None:
    if issue.status != IssueStatus.DRAFT:
        raise IssueError("only a draft can be edited; this issue is already being sent")


def _gather(session: Session, monday: date) -> DigestContent:
    min_members = settings().NEWSLETTER_HELPFUL_MIN_MEMBERS
    return gather_digest(
        session, monday, sending_schedule(), utcnow(), helpful_min_members=min_members
    )


def _render(session: Session, issue: NewsletterIssue, content: DigestContent) -> None:
    content.helpful_answers = hold_in_draft(session, issue, content.helpful_candidates)
    rendered = render_issue(content, intro=issue.intro)
    issue.html, issue.text, issue.web_html = rendered.html, rendered.text, rendered.web_html
    session.flush()


def _issue_for_week(session: Session, monday: date) -> NewsletterIssue | None:
    return session.exec(select(NewsletterIssue).where(NewsletterIssue.week_of == monday)).first()
