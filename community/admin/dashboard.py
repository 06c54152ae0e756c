"""What needs an organiser now, read with one aggregate query per card (fast at any size)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select

from community.models import (
    ContentItem,
    Delivery,
    Event,
    EventStatus,
    ItemStatus,
    JobRun,
    NewsletterIssue,
    OutboxStatus,
    OutgoingEmail,
    OutgoingSlackMessage,
    Registration,
    RegistrationStatus,
    Source,
    SourceKind,
    UnansweredQuestion,
)
from community.models.newsletter import DeliveryStatus, IssueStatus
from community.models.types import utcnow

UPCOMING = timedelta(days=14)
MOST_EVENTS_LISTED = 20
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class UpcomingEvent:
    id: int
    title: str
    starts_at: datetime
    timezone: str
    status: str
    capacity: int | None
    registered: int
    waitlisted: int

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.registered >= self.capacity


@dataclass(frozen=True)
class Dashboard:
    posts_to_review: int
    unanswered_questions: int
    newsletter_drafts: int
    latest_draft_id: int | None
    upcoming_events: list[UpcomingEvent]
    outbox_failures: int
    failing_feeds: int
    job_failures_this_week: int


def read_dashboard(session: Session, *, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    drafts, latest_draft = _newsletter_drafts(session)
    return Dashboard(
        posts_to_review=_count(session, ContentItem, ContentItem.status == ItemStatus.PENDING),
        unanswered_questions=_count(
            session, UnansweredQuestion, UnansweredQuestion.resolved_at.is_(None)
        ),
        newsletter_drafts=drafts,
        latest_draft_id=latest_draft,
        upcoming_events=upcoming_events(session, now=now),
        outbox_failures=_outbox_failures(session),
        failing_feeds=_count(
            session,
            Source,
            Source.kind == SourceKind.FEED,
            Source.active.is_(True),
            Source.error_count > 0,
        ),
        job_failures_this_week=_count(
            session, JobRun, JobRun.status == "failed", JobRun.started_at >= now - WEEK
        ),
    )


def _count(session: Session, model, *conditions) -> int:
    return session.exec(select(func.count()).select_from(model).where(*conditions)).one()


def _newsletter_drafts(session: Session) -> tuple[int, int | None]:
    count, latest = session.exec(
        select(func.count(), func.max(NewsletterIssue.id)).where(
            NewsletterIssue.status == IssueStatus.DRAFT
        )
    ).one()
    return count, latest


def _outbox_failures(session: Session) -> int:
    return (
        _count(session, OutgoingEmail, OutgoingEmail.status == OutboxStatus.FAILED)
        + _count(session, OutgoingSlackMessage, OutgoingSlackMessage.status == OutboxStatus.FAILED)
        + _count(session, Delivery, Delivery.status == DeliveryStatus.FAILED)
    )


def upcoming_events(session: Session, *, now: datetime) -> list[UpcomingEvent]:
    """Events starting in the next two weeks, drafts too, with their places and waitlist."""
    registered = func.sum(case((Registration.status == RegistrationStatus.REGISTERED, 1), else_=0))
    waitlisted = func.sum(case((Registration.status == RegistrationStatus.WAITLISTED, 1), else_=0))
    columns = (
        Event.id,
        Event.title,
        Event.starts_at,
        Event.timezone,
        Event.status,
        Event.capacity,
    )
    statement = (
        select(*columns, func.coalesce(registered, 0), func.coalesce(waitlisted, 0))
        .outerjoin(Registration, Registration.event_id == Event.id)
        .where(
            Event.status != EventStatus.CANCELLED,
            Event.starts_at >= now,
            Event.starts_at < now + UPCOMING,
        )
        .group_by(*columns)
        .order_by(Event.starts_at, Event.id)
        .limit(MOST_EVENTS_LISTED)
    )
    return [UpcomingEvent(*row) for row in session.exec(statement)]
