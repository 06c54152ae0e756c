"""A conference's sessions in people's calendars: the .ics of one session or of the whole
agenda, and Google Calendar's form filled in for one session."""

import hashlib
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from community.conferences.agenda import Agenda, AgendaEntry
from community.config import settings
from community.links import public_url
from community.rich_text import html_to_text, markdown_to_html

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def session_url(acronym: str, slug: str) -> str:
    return public_url(f"/conferences/{acronym}/sessions/{slug}")


def agenda_url(acronym: str) -> str:
    return public_url(f"/conferences/{acronym}")


def agenda_calendar(agenda: Agenda, entries: list[AgendaEntry] | None = None) -> bytes:
    """The calendar of `entries` (by default every placed session) of the agenda."""
    from integrations.calendar.agenda import build_agenda_calendar  # icalendar: only when asked

    chosen = agenda.entries if entries is None else entries
    return build_agenda_calendar(
        [_slot(agenda, entry) for entry in chosen],
        name=agenda.event.title,
        timezone=agenda.event.timezone,
        version=agenda.conference.schedule_version,
        product_id=f"-//{settings().COMMUNITY_NAME}//Conference agenda//EN",
        calendar_url=public_url(f"/conferences/{agenda.conference.acronym}/agenda.ics"),
    )


def calendar_etag(agenda: Agenda, entries: list[AgendaEntry]) -> str:
    """Changes with the programme, the event, the sessions in the file and the settings the
    file shows, so a calendar app asking again gets 304 until something changed."""
    config = settings()
    stamps = [agenda.conference.schedule_version, agenda.conference.updated_at]
    stamps += [agenda.event.updated_at, agenda.event.timezone, agenda.event.title]
    stamps += [(entry.item.id, entry.item.updated_at) for entry in entries]
    key = f"{config.COMMUNITY_NAME}\n{config.PUBLIC_URL}\n{stamps}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def google_calendar_url(agenda: Agenda, entry: AgendaEntry) -> str:
    """Google Calendar's form for a new entry, filled in; times in UTC. The details link the
    session's page, never a stream's join link."""
    span = "/".join(_utc(moment) for moment in (entry.starts_at, entry.ends_at))
    fields = {
        "action": "TEMPLATE",
        "text": f"{entry.item.title} · {agenda.event.title}",
        "dates": span,
        "details": session_url(agenda.conference.acronym, entry.item.slug),
        "location": entry.stage.name if entry.stage else "",
        "ctz": agenda.event.timezone,
    }
    # Every value percent-encoded: a title with '&' or '#' stays the title.
    return f"{GOOGLE_CALENDAR}?{urlencode(fields, quote_via=quote, safe='')}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _slot(agenda: Agenda, entry: AgendaEntry):
    from integrations.calendar.agenda import AgendaSlot

    item = entry.item
    return AgendaSlot(
        guid=item.guid,
        title=item.title,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        kind=item.kind,
        stage=entry.stage.name if entry.stage else None,
        track=entry.track.name if entry.track else None,
        speakers=tuple(speaker.name for speaker in entry.speakers),
        abstract=html_to_text(markdown_to_html(item.abstract)) if item.abstract else "",
        url=session_url(agenda.conference.acronym, item.slug),
        tags=tuple(item.tags or ()),
        last_modified=item.updated_at,
    )
