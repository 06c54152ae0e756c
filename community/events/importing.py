"""Importing events from ICS feeds and files, updating the same events on every import."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlmodel import Session, select

from community.config import settings
from community.events import announcements
from community.events.services import (
    ATTENDEE_FACING,
    AttendeeChange,
    attendee_changes,
    input_from_event,
    slugify,
)
from community.fetch_policy import fetch_policy
from community.models import Event, EventFormat, EventStatus, Source, SourceKind
from community.models.types import utcnow
from integrations.calendar.ics import CalendarError, CalendarEvent, parse_calendar
from integrations.feeds.fetching import FetchError, fetch

CALENDAR_ACCEPT = "text/calendar, application/ics;q=0.9, */*;q=0.5"
FEED_WINDOW = timedelta(days=365)  # how far ahead a feed's repeating events are read
MEETING_HOSTS = (
    "zoom.us",
    "zoom.com",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "meet.jit.si",
    "jitsi.org",
    "whereby.com",
    "webex.com",
    "gotomeeting.com",
    "meet.goto.com",
    "bluejeans.com",
    "chime.aws",
    "discord.gg",
    "streamyard.com",
    "riverside.fm",
)
MAP_HOSTS = (
    "maps.google.com",
    "goo.gl",
    "maps.app.goo.gl",
    "openstreetmap.org",
    "osm.org",
    "maps.apple.com",
    "what3words.com",
)
_WEB_LINK = re.compile(r"https?://[^\s<>\"']+", re.I)


class ImportError_(ValueError):
    """The calendar could not be read at all."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0  # removed from the feed
    skipped: list[str] = field(default_factory=list)
    changed_events: list[int] = field(default_factory=list)  # attendees must hear about these
    changes: dict[int, list[AttendeeChange]] = field(default_factory=dict)  # old → new, per event


def read_calendar(location: str) -> tuple[str, bytes]:
    """The calendar's stable address and its bytes, from an http(s) URL or a file."""
    if location.startswith(("http://", "https://")):
        policy = fetch_policy(settings())
        try:
            return location, fetch(location, policy=policy, accept=CALENDAR_ACCEPT).content or b""
        except FetchError as error:
            raise ImportError_(f"could not fetch {location}: {error}") from error
    path = Path(location).expanduser().resolve()
    try:
        return path.as_uri(), path.read_bytes()
    except OSError as error:
        raise ImportError_(f"could not read {location}: {error.strerror}") from error


def import_calendar(
    *, session: Session, address: str, data: bytes, draft: bool = False
) -> ImportReport:
    try:
        parsed = parse_calendar(data, default_timezone=settings().COMMUNITY_TIMEZONE)
    except CalendarError as error:
        raise ImportError_(f"{address} is not a calendar we can read: {error}") from error
    source = _calendar_source(session, address)
    report = ImportReport(skipped=list(parsed.skipped))
    for incoming in parsed.events:
        _import_one(session, source, incoming, draft, report)
    _cancel_missing(session, source, {incoming.uid for incoming in parsed.events}, report)
    source.last_checked_at = source.last_success_at = utcnow()
    session.flush()
    return report


def _import_one(session, source: Source, incoming: CalendarEvent, draft: bool, report) -> None:
    """Matched by UID alone: the same calendar read from a file first and a URL later (or
    moved to a new address) updates its events. Events made here are never overwritten."""
    event = session.exec(select(Event).where(Event.uid == incoming.uid)).first()
    if event is not None and event.source_id is None:
        report.skipped.append(
            f"{incoming.uid}: an event with this UID was made here, not imported; left as it is"
        )
        return
    if event is None:
        event = _new_event(source, incoming, draft)
        session.add(event)
        session.flush()
        report.created += 1
        return
    event.source_id = source.id  # from now on this calendar keeps it up to date
    before = input_from_event(event)
    changed = _apply(event, incoming)
    if not changed:
        report.unchanged += 1
        return
    report.updated += 1
    if set(changed) & set(ATTENDEE_FACING) or "status" in changed:
        event.sequence += 1
        report.changed_events.append(event.id)
        report.changes[event.id] = attendee_changes(before, event)
    event.updated_at = utcnow()
    session.flush()


def _cancel_missing(session: Session, source: Source, seen: set[str], report) -> None:
    """Upcoming events this feed no longer lists were removed there: cancel them here too.

    Only within the window the feed is read for, and never when the feed came back empty,
    which is more often a publishing accident than every event being called off.
    """
    if not seen:
        report.skipped.append("the calendar lists no events; nothing was cancelled")
        return
    now = utcnow()
    statement = select(Event).where(
        Event.source_id == source.id,
        Event.status != EventStatus.CANCELLED,
        Event.starts_at > now,
        Event.starts_at < now + FEED_WINDOW,
    )
    for event in session.exec(statement).all():
        if event.uid in seen:
            continue
        event.status, event.sequence, event.updated_at = (
            EventStatus.CANCELLED,
            event.sequence + 1,
            now,
        )
        report.cancelled += 1
        report.changed_events.append(event.id)
    session.flush()


def _new_event(source: Source, incoming: CalendarEvent, draft: bool) -> Event:
    event = Event(
        uid=incoming.uid,
        slug=slugify(incoming.title),
        title=incoming.title,
        starts_at=incoming.starts_at,
        ends_at=incoming.ends_at,
        source_id=source.id,
    )
    _apply(event, incoming)
    if not draft and not incoming.cancelled:
        event.status, event.published_at = EventStatus.PUBLISHED, utcnow()
    elif incoming.cancelled:
        event.status = EventStatus.CANCELLED
    return event


def _apply(event: Event, incoming: CalendarEvent) -> list[str]:
    """Copies the calendar's view of the event; returns the names of fields that changed."""
    wanted = {
        "title": incoming.title or "Untitled event",
        "description": incoming.description,
        "starts_at": incoming.starts_at,
        "ends_at": incoming.ends_at,
        "timezone": incoming.timezone,
        **_place(incoming),
        "tags": [tag.lower()[:50] for tag in incoming.categories][:20],
    }
    changed = [name for name, value in wanted.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, wanted[name])
    if incoming.cancelled and event.status != EventStatus.CANCELLED and event.id is not None:
        event.status = EventStatus.CANCELLED
        changed.append("status")
    return changed


def _place(incoming: CalendarEvent) -> dict:
    """Format, venue, join link and web page. A meeting link, in LOCATION or URL, becomes
    the private join link (shown only to people with a place), never a public venue."""
    location = incoming.location or ""
    link_in_location = _link_in(location)
    if link_in_location and not is_map_link(link_in_location):
        venue, join_url = None, link_in_location
    else:
        venue, join_url = location[:300] or None, None
    external_url = incoming.url
    if incoming.url and is_meeting_link(incoming.url):
        join_url, external_url = join_url or incoming.url, None
    if join_url:
        event_format = EventFormat.HYBRID if venue else EventFormat.ONLINE
    else:
        event_format = EventFormat.IN_PERSON if venue else EventFormat.ONLINE
    return {
        "format": event_format,
        "venue": venue,
        "join_url": join_url,
        "external_url": external_url,
    }


def _link_in(text: str) -> str | None:
    found = _WEB_LINK.search(text)
    return found.group(0).rstrip(".,;)>]") if found else None


def is_meeting_link(address: str) -> bool:
    """Zoom, Google Meet, Teams, Jitsi, Whereby, Webex and the like."""
    host = (urlsplit(address).hostname or "").lower()
    return any(host == known or host.endswith("." + known) for known in MEETING_HOSTS)


def is_map_link(address: str) -> bool:
    parts = urlsplit(address)
    host, path = (parts.hostname or "").lower(), parts.path.lower()
    if any(host == known or host.endswith("." + known) for known in MAP_HOSTS):
        return True
    return host.split(".")[0] in ("maps", "map") or path.startswith(("/maps", "/map/"))


def _calendar_source(session: Session, address: str) -> Source:
    source = session.exec(select(Source).where(Source.url == address)).first()
    if source is None:
        source = Source(kind=SourceKind.CALENDAR, url=address, name=_name(address))
        session.add(source)
        session.flush()
    return source


def _name(address: str) -> str:
    return address.rsplit("/", 1)[-1][:200] or address[:200]


def tell_about_imported_changes(session: Session, report: ImportReport) -> None:
    """People registered for moved or cancelled events hear it, in the import's transaction."""
    for event_id in report.changed_events:
        event = session.get(Event, event_id)
        if event.status == EventStatus.CANCELLED:
            announcements.tell_about_cancellation(session, event)
        else:
            announcements.tell_about_change(session, event, report.changes.get(event_id, ()))
