"""Events as iCalendar: one event, the feed of upcoming and recent events, and imports."""

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from flask import current_app
from sqlalchemy import extract
from sqlmodel import Session, func, select

from community.config import settings
from community.links import public_event_url
from community.models import Event, EventStatus
from community.models.types import utcnow
from community.rich_text import html_to_text, markdown_to_html
from integrations.mail.messages import Attachment

# The feed holds the events that ended at most CALENDAR_DAYS_BEHIND ago and those starting
# within CALENDAR_DAYS_AHEAD: what a calendar app shows, without the whole history.
CALENDAR_DAYS_BEHIND = 30
CALENDAR_DAYS_AHEAD = 365
BEHIND = timedelta(days=CALENDAR_DAYS_BEHIND)
AHEAD = timedelta(days=CALENDAR_DAYS_AHEAD)
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class CalendarFile:
    body: bytes
    etag: str
    last_modified: datetime | None


def event_calendar(
    events: list[Event], *, name: str | None = None, descriptions: dict | None = None
) -> bytes:
    """With `descriptions`, the plain text of each description is read from there when the
    event has not changed since, and kept there: converting Markdown is half the work."""
    from integrations.calendar.ics import build_calendar  # icalendar: only when a feed is built

    return build_calendar(
        [_calendar_event(event, descriptions) for event in events],
        name=name or settings().COMMUNITY_NAME,
        product_id=f"-//{settings().COMMUNITY_NAME}//Community events//EN",
    )


def feed_events(session: Session, now: datetime | None = None) -> list[Event]:
    """Published and cancelled ones (calendars that subscribed see the cancellation) in the
    window around `now`, soonest first."""
    statement = select(Event).where(_in_feed(now or utcnow())).order_by(Event.starts_at, Event.id)
    return list(session.exec(statement))


def feed_file(session: Session) -> CalendarFile:
    """The feed, built again only when it changes: building costs milliseconds per event,
    and calendar apps ask for it every few minutes. Whether it changed is read with two
    aggregate queries: which events are in the window (their number and the sums of their
    ids and squared ids) and their `updated_at`, which every change to an event sets (its
    sum and the latest, so that an edit shows even if another machine's clock is ahead)."""
    now = utcnow()
    *contents, edited, latest_start = session.exec(
        select(
            func.count(),
            func.sum(Event.id),
            func.sum(Event.id * Event.id),
            func.sum(extract("epoch", Event.updated_at)),
            func.max(Event.updated_at),
            func.max(Event.starts_at),
        ).where(_in_feed(now))
    ).one()
    left = session.exec(
        select(func.max(Event.ends_at)).where(_public(), Event.ends_at < now - BEHIND)
    ).one()
    etag = _etag(contents, edited)
    cache = current_app.extensions.setdefault("calendar_feed", _FeedCache())
    if (cached := cache.get(etag)) is not None:
        return cached
    changes = [edited, latest_start and latest_start - AHEAD, left and left + BEHIND]
    changed_at = min(max((moment for moment in changes if moment), default=now), now)
    events = feed_events(session, now)
    body = event_calendar(events, descriptions=cache.descriptions_of(events))
    return cache.put(CalendarFile(body, etag, changed_at))


def event_attachment(event: Event) -> Attachment:
    """The event's calendar file for an email: the same UID and SEQUENCE as the page's
    .ics and the feed, so a calendar that has the event updates it instead of adding one."""
    body = event_calendar([event], name=event.title).decode()
    return Attachment(f"{event.slug}.ics", "text/calendar; method=PUBLISH", body)


def event_file(event: Event) -> CalendarFile:
    body = event_calendar([event], name=event.title)
    return CalendarFile(body, _etag([event.id], event.updated_at), event.updated_at)


def google_calendar_url(event: Event) -> str:
    """Google Calendar's form for a new entry, filled in; times in UTC."""
    span = "/".join(_utc(moment, "%Y%m%dT%H%M%SZ") for moment in (event.starts_at, event.ends_at))
    return _link(
        GOOGLE_CALENDAR,
        action="TEMPLATE",
        text=event.title,
        dates=span,
        details=_link_details(event),
        location=_location(event) or "",
    )


def outlook_calendar_url(event: Event) -> str:
    """Outlook on the web's form for a new entry, filled in; times in UTC."""
    start, end = (_utc(moment, "%Y-%m-%dT%H:%M:%SZ") for moment in (event.starts_at, event.ends_at))
    return _link(
        OUTLOOK_CALENDAR,
        path="/calendar/action/compose",
        rru="addevent",
        subject=event.title,
        startdt=start,
        enddt=end,
        body=_link_details(event),
        location=_location(event) or "",
    )


def _utc(moment: datetime, pattern: str) -> str:
    return moment.astimezone(UTC).strftime(pattern)


def _link(base: str, **fields: str) -> str:
    """Every value percent-encoded: a title with '&' or '#' stays the title."""
    return f"{base}?{urlencode(fields, quote_via=quote, safe='')}"


def _link_details(event: Event) -> str:
    """The event page only: the join link is for people with a place, not for calendar links."""
    return f"{event.title}\n{public_event_url(event)}"


def _location(event: Event) -> str | None:
    where = ", ".join(part for part in (event.venue, event.address) if part)
    return where or ("Online" if event.format == "online" else None)


def _public():
    return Event.status.in_(PUBLIC_STATUSES) & Event.published_at.is_not(None)


def _in_feed(now: datetime):
    return _public() & (Event.ends_at >= now - BEHIND) & (Event.starts_at <= now + AHEAD)


def _etag(which: list, edited: datetime | None) -> str:
    """Changes when an event is edited (its `updated_at`), when `which` events are in the
    calendar changes, and with the settings the calendar shows."""
    config = settings()
    stamp = edited.isoformat() if edited else "-"
    key = f"{config.COMMUNITY_NAME}\n{config.PUBLIC_URL}\n{which}\n{stamp}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class _FeedCache:
    """The last feed built by this process, kept while its ETag stays the same, and the
    plain-text descriptions of its events for the next build."""

    def __init__(self):
        self._lock = threading.Lock()
        self._file: CalendarFile | None = None
        self._descriptions: dict[tuple[int, datetime], str] = {}

    def descriptions_of(self, events: list[Event]) -> dict[tuple[int, datetime], str]:
        """Those still in the feed, unchanged; the build adds the others."""
        with self._lock:
            keep = {(event.id, event.updated_at) for event in events}
            self._descriptions = {
                key: text for key, text in self._descriptions.items() if key in keep
            }
            return self._descriptions

    def get(self, etag: str) -> CalendarFile | None:
        with self._lock:
            return self._file if self._file is not None and self._file.etag == etag else None

    def put(self, file: CalendarFile) -> CalendarFile:
        with self._lock:
            self._file = file
        return file


def _calendar_event(event: Event, descriptions: dict | None):
    from integrations.calendar.ics import CalendarEvent

    return CalendarEvent(
        uid=event.uid,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        description=_description(event, {} if descriptions is None else descriptions),
        location=_location(event),
        url=public_event_url(event),
        cancelled=event.status == EventStatus.CANCELLED,
        sequence=event.sequence,
        last_modified=event.updated_at,
        categories=tuple(event.tags or ()),
    )


def _description(event: Event, known: dict) -> str:
    key = (event.id, event.updated_at)
    if key not in known:
        known[key] = html_to_text(markdown_to_html(event.description))
    return known[key]
