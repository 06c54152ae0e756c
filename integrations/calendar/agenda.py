"""A conference's sessions as iCalendar: one VEVENT per session, in the conference's zone.

Plain data in, bytes out. Each session keeps one UID however often the calendar is fetched
or the session moves, and the programme's version is its SEQUENCE, so a calendar that has
the session updates it instead of adding another.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from integrations.calendar.ics import CalendarEvent, build_calendar


@dataclass(frozen=True)
class AgendaSlot:
    guid: str  # the session's identity in the schedule format
    title: str
    starts_at: datetime
    ends_at: datetime
    kind: str  # talk, workshop, panel, keynote or break
    stage: str | None = None
    track: str | None = None
    speakers: tuple[str, ...] = ()
    abstract: str = ""  # plain text
    url: str | None = None  # the session's public page
    tags: tuple[str, ...] = ()
    last_modified: datetime | None = None


def session_uid(guid: str) -> str:
    return f"session-{guid}@community"


def build_agenda_calendar(
    slots: Iterable[AgendaSlot],
    *,
    name: str,
    timezone: str,
    version: int,
    product_id: str,
    calendar_url: str | None = None,
) -> bytes:
    """A PUBLISH calendar of the slots, each at its wall-clock time in `timezone` (an IANA
    name) with the zone's VTIMEZONE, and SEQUENCE `version`."""
    events = [_calendar_event(slot, timezone, version) for slot in slots]
    return build_calendar(events, name=name, product_id=product_id, calendar_url=calendar_url)


def _calendar_event(slot: AgendaSlot, timezone: str, version: int) -> CalendarEvent:
    return CalendarEvent(
        uid=session_uid(slot.guid),
        title=slot.title,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        timezone=timezone,
        description=_description(slot),
        location=slot.stage,
        url=slot.url,
        sequence=version,
        last_modified=slot.last_modified,
        categories=_categories(slot),
    )


def _description(slot: AgendaSlot) -> str:
    lines = []
    if slot.speakers:
        lines.append("With " + ", ".join(slot.speakers))
    if slot.abstract:
        lines.append(slot.abstract)
    if slot.url:
        lines.append(slot.url)
    return "\n\n".join(lines)


def _categories(slot: AgendaSlot) -> tuple[str, ...]:
    named = [slot.kind, *([slot.track] if slot.track else []), *slot.tags]
    return tuple(dict.fromkeys(name for name in named if name))
