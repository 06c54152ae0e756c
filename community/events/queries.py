"""Reading published events for the public pages, the home page and Slack."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, case, true
from sqlmodel import Session, func, select

from community.models import Event, EventStatus, Registration, RegistrationStatus
from community.models.types import utcnow
from community.pagination import Page, paginate

PAGE_SIZE = 50  # events per page of /events and /events/past


@dataclass(frozen=True)
class Attendance:
    """People holding a place (confirmed or not yet) and people on the waitlist."""

    going: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class EventFilters:
    kinds: list[str]
    formats: list[str]
    tags: list[str]


def upcoming_events(
    *,
    session: Session,
    limit: int = 5,
    kind: str | None = None,
    format: str | None = None,  # noqa: A002  (the field's name)
    tag: str | None = None,
) -> list[Event]:
    """Published events that have not ended, soonest first, optionally filtered."""
    statement = _upcoming(session, kind=kind, format=format, tag=tag)
    return list(session.exec(statement.limit(limit)))


def upcoming_page(
    *,
    session: Session,
    number: int = 1,
    kind: str | None = None,
    format: str | None = None,  # noqa: A002  (the field's name)
    tag: str | None = None,
) -> Page[Event]:
    """The public list: published events and cancelled ones, which stay listed as cancelled
    so that people who planned to go see it there."""
    statement = _upcoming(session, kind=kind, format=format, tag=tag, listed=_listed())
    return paginate(session, statement, number=number, size=PAGE_SIZE)


def past_page(*, session: Session, number: int = 1) -> Page[Event]:
    """Published and cancelled events that have ended, most recent first."""
    statement = (
        select(Event)
        .where(_listed(), Event.ends_at < utcnow())
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return paginate(session, statement, number=number, size=PAGE_SIZE)


def attendance(session: Session, event_ids: Iterable[int]) -> dict[int, Attendance]:
    """Each event's numbers, in one grouped query however many events a page lists."""
    ids = list(event_ids)
    if not ids:
        return {}
    status = Registration.status
    statement = (
        select(
            Registration.event_id,
            func.sum(case((status == RegistrationStatus.REGISTERED, 1), else_=0)),
            func.sum(case((status == RegistrationStatus.WAITLISTED, 1), else_=0)),
        )
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id)
    )
    rows = session.exec(statement)
    found = {event_id: Attendance(going, waiting) for event_id, going, waiting in rows}
    return {event_id: found.get(event_id, Attendance()) for event_id in ids}


def event_filters(*, session: Session) -> EventFilters:
    """The kinds, formats and tags that upcoming events actually have."""
    upcoming = _is_upcoming()
    pairs = session.exec(select(Event.kind, Event.format).where(upcoming).distinct()).all()
    tags = _tag_values(session)
    each_tag = select(tags.c.value).select_from(Event).join(tags, true()).where(upcoming)
    return EventFilters(
        kinds=sorted({kind for kind, _ in pairs}),
        formats=sorted({event_format for _, event_format in pairs}),
        tags=list(session.exec(each_tag.distinct().order_by(tags.c.value))),
    )


def _upcoming(
    session: Session,
    *,
    kind: str | None,
    format: str | None,  # noqa: A002  (the field's name)
    tag: str | None,
    listed: ColumnElement[bool] | None = None,
):
    shown = _is_upcoming() if listed is None else listed & (Event.ends_at >= utcnow())
    statement = select(Event).where(shown).order_by(Event.starts_at, Event.id)
    if kind:
        statement = statement.where(Event.kind == kind)
    if format:
        statement = statement.where(Event.format == format)
    if tag:
        statement = statement.where(_has_tag(session, tag))
    return statement


def _is_upcoming() -> ColumnElement[bool]:
    return (Event.status == EventStatus.PUBLISHED) & (Event.ends_at >= utcnow())


def _listed() -> ColumnElement[bool]:
    """Published, or cancelled after being published: never drafts."""
    cancelled = (Event.status == EventStatus.CANCELLED) & Event.published_at.is_not(None)
    return (Event.status == EventStatus.PUBLISHED) | cancelled


def _tag_values(session: Session) -> FromClause:
    """Each event's tags as rows of a `value` column (tags are a JSON list of strings)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(Event.tags).table_valued("value")
    return func.json_each(Event.tags).table_valued("value")


def _has_tag(session: Session, tag: str) -> ColumnElement[bool]:
    tags = _tag_values(session)
    return select(tags.c.value).where(tags.c.value == tag).exists()
