"""How an event's time and place read in pages, emails and Slack messages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from community.models import Event, EventFormat, EventStatus
from community.plurals import counted


def event_when(event: Event) -> str:
    """'Tue 1 Dec 2026, 18:30–21:00 CET (Europe/Berlin)' in the event's own zone."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    day = f"{start:%a} {start.day} {start:%b %Y}"
    if end.date() == start.date():
        span = f"{start:%H:%M}–{end:%H:%M}"
    else:
        span = f"{start:%H:%M} – {end:%a} {end.day} {end:%b}, {end:%H:%M}"
    return f"{day}, {span} {start.tzname()} ({event.timezone})"


def event_where(event: Event) -> str:
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if event.format == EventFormat.ONLINE:
        return "Online"
    if event.format == EventFormat.HYBRID:
        return f"{place or 'Venue to be announced'} and online"
    return place or "Venue to be announced"


def attendance_line(event: Event, going: int, waiting: int, *, now: datetime) -> str:
    """'34 going · 6 places left', 'Full · 3 on the waitlist', 'Cancelled', and once the
    event has ended, '34 went': places left then are no news to anyone."""
    if event.status == EventStatus.CANCELLED:
        return "Cancelled"
    if event.ends_at <= now:
        return f"{going:,} went"
    queue = f" · {waiting:,} on the waitlist" if waiting else ""
    if event.capacity is None:
        return f"{going:,} going{queue}"
    left = event.capacity - going
    if left <= 0:
        return f"Full{queue}"
    return f"{going:,} going · {counted(left, 'place left', 'places left')}{queue}"
