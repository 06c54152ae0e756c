"""The rules that span fields: a known time zone, sessions inside their day, no room
double-booked, no guid used twice. Each problem names its place in the document."""

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from integrations.schedules.model import duration_minutes
from integrations.schedules.wire import WireConference, WireEvent

CONFERENCE = "schedule.conference"


@dataclass(frozen=True)
class _Placed:
    where: str
    room: str
    event: WireEvent
    starts_at: datetime
    ends_at: datetime


def problems(conference: WireConference) -> list[str]:
    found = _time_zone_problems(conference)
    if found:
        return found  # every time below is read in that zone
    zone = ZoneInfo(time_zone_of(conference))
    placed = list(_placed(conference, zone))
    return [
        *_conference_date_problems(conference),
        *_day_problems(conference, zone),
        *_room_name_problems(conference),
        *_duplicate_guid_problems(placed),
        *_overlap_problems(placed),
    ]


def time_zone_of(conference: WireConference) -> str:
    """Schedules that name no zone give every time with its offset; UTC then reads them."""
    return conference.time_zone_name or "UTC"


def aware(moment: datetime, zone: ZoneInfo) -> datetime:
    """A time the schedule gave without an offset is in the conference's zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


@functools.cache
def _iana_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone_problems(conference: WireConference) -> list[str]:
    name = time_zone_of(conference)
    if name in _iana_names():
        return []
    return [
        f"{CONFERENCE}.time_zone_name: {name!r} is not an IANA time zone; "
        "use a name such as Europe/Berlin or UTC"
    ]


def _placed(conference: WireConference, zone: ZoneInfo):
    for day_number, day in enumerate(conference.days):
        for room, events in day.rooms.items():
            for position, event in enumerate(events):
                starts_at = aware(event.date, zone).astimezone(zone)
                yield _Placed(
                    f"{CONFERENCE}.days[{day_number}].rooms[{room!r}][{position}]",
                    room,
                    event,
                    starts_at,
                    starts_at + timedelta(minutes=duration_minutes(event.duration)),
                )


def _conference_date_problems(conference: WireConference) -> list[str]:
    if conference.start and conference.end and conference.end < conference.start:
        return [f"{CONFERENCE}.end: {conference.end} is before the start, {conference.start}"]
    return []


def _day_problems(conference: WireConference, zone: ZoneInfo) -> list[str]:
    found = []
    for day_number, day in enumerate(conference.days):
        where = f"{CONFERENCE}.days[{day_number}]"
        day_start, day_end = aware(day.day_start, zone), aware(day.day_end, zone)
        if day_end <= day_start:
            found.append(f"{where}.day_end: {day_end.isoformat()} is not after day_start")
            continue
        found += _outside_conference(conference, day, where)
        for room, events in day.rooms.items():
            for position, event in enumerate(events):
                moment = aware(event.date, zone)
                if not day_start <= moment <= day_end:
                    found.append(
                        f"{where}.rooms[{room!r}][{position}].date: {moment.isoformat()} is not "
                        f"within its day ({day_start.isoformat()} to {day_end.isoformat()})"
                    )
    return found


def _outside_conference(conference: WireConference, day, where: str) -> list[str]:
    if day.date is None:
        return []
    if (conference.start and day.date < conference.start) or (
        conference.end and day.date > conference.end
    ):
        return [
            f"{where}.date: {day.date} is outside the conference "
            f"({conference.start} to {conference.end})"
        ]
    return []


def _room_name_problems(conference: WireConference) -> list[str]:
    found = []
    for day_number, day in enumerate(conference.days):
        for room, events in day.rooms.items():
            for position, event in enumerate(events):
                if event.room is not None and event.room != room:
                    found.append(
                        f"{CONFERENCE}.days[{day_number}].rooms[{room!r}][{position}].room: "
                        f"says {event.room!r} but is listed under {room!r}"
                    )
    return found


def _duplicate_guid_problems(placed: list[_Placed]) -> list[str]:
    first_seen: dict[str, str] = {}
    found = []
    for item in placed:
        guid = item.event.guid
        if guid in first_seen:
            found.append(f"{item.where}.guid: {guid} is already the guid of {first_seen[guid]}")
        else:
            first_seen[guid] = item.where
    return found


def _overlap_problems(placed: list[_Placed]) -> list[str]:
    """Two sessions in one room at once; a session may start as the one before it ends."""
    by_room: dict[str, list[_Placed]] = {}
    for item in placed:
        by_room.setdefault(item.room, []).append(item)
    found = []
    for items in by_room.values():
        items.sort(key=lambda item: (item.starts_at, item.ends_at))
        for before, after in zip(items, items[1:], strict=False):
            if after.starts_at < before.ends_at:
                found.append(_overlap(before, after))
    return found


def _overlap(before: _Placed, after: _Placed) -> str:
    def span(item: _Placed) -> str:
        start = item.starts_at
        return f"{start.strftime('%Y-%m-%d %H:%M')}–{item.ends_at.strftime('%H:%M')}"

    return (
        f"{after.where}: {after.event.title!r} ({span(after)}) overlaps "
        f"{before.event.title!r} ({span(before)}, {before.where}) in {before.room}"
    )
