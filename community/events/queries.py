"""Reading published events for the public pages, the home page and Slack."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, true
from sqlmodel import Session, func, select

from community.models import Event, EventStatus
from community.models.types import utcnow
from community.pagination import Page, paginate

PAGE_SIZE = 50  # events per page of /events and /events/past


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
    statement = _upcoming(session, kind=kind, format=format, tag=tag)
    return paginate(session, statement, number=number, size=PAGE_SIZE)


def past_page(*, session: Session, number: int = 1) -> Page[Event]:
    """Published events that have ended, most recent first."""
    statement = (
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at < utcnow())
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return paginate(session, statement, number=number, size=PAGE_SIZE)


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


def _upcoming(session: Session, *, kind: str | None, format: str | None, tag: str | None):  # noqa: A002
    statement = select(Event).where(_is_upcoming()).order_by(Event.starts_at, Event.id)
    if kind:
        statement = statement.where(Event.kind == kind)
    if format:
        statement = statement.where(Event.format == format)
    if tag:
        statement = statement.where(_has_tag(session, tag))
    return statement


def _is_upcoming() -> ColumnElement[bool]:
    return (Event.status == EventStatus.PUBLISHED) & (Event.ends_at >= utcnow())


def _tag_values(session: Session) -> FromClause:
    """Each event's tags as rows of a `value` column (tags are a JSON list of strings)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(Event.tags).table_valued("value")
    return func.json_each(Event.tags).table_valued("value")


def _has_tag(session: Session, tag: str) -> ColumnElement[bool]:
    tags = _tag_values(session)
    return select(tags.c.value).where(tags.c.value == tag).exists()
