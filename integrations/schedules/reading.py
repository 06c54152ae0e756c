"""Reading schedule.json or schedule.xml into a Schedule, or a ScheduleError saying where."""

import json
import re
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from integrations.schedules import checks
from integrations.schedules.model import (
    Conference,
    Day,
    Link,
    Person,
    Room,
    Schedule,
    ScheduleError,
    ScheduleItem,
    Track,
)
from integrations.schedules.wire import (
    WireConference,
    WireDay,
    WireDocument,
    WireEvent,
    WirePerson,
    problems_of,
    read_document,
)
from integrations.schedules.xml_reading import xml_document

MiB = 1024 * 1024
MAX_BYTES = 5 * MiB  # the 38C3's schedule.json, one of the largest there is, is under 3 MiB
MAX_SESSIONS = 5000
MAX_PROBLEMS = 20  # enough to fix a file by; a broken file should not print thousands
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_schedule(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_sessions: int = MAX_SESSIONS
) -> Schedule:
    """schedule.json or schedule.xml, told apart by their first character."""
    if len(data) > max_bytes:
        raise ScheduleError(
            [f"the document: {len(data):,} bytes is more than the {max_bytes:,} a schedule may be"]
        )
    document = _cleaned(_document(data))
    _refuse_too_many_sessions(document, max_sessions)
    try:
        wire = read_document(document)
    except ValidationError as error:
        raise ScheduleError(problems_of(error)[:MAX_PROBLEMS]) from None
    problems = checks.problems(wire.schedule.conference)
    if problems:
        raise ScheduleError(problems[:MAX_PROBLEMS])
    return _schedule(wire)


def sniff(data: bytes) -> str | None:
    """ "json", "xml", or None for anything else."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return {b"{": "json", b"<": "xml"}.get(start)


def _document(data: bytes) -> Any:
    kind = sniff(data)
    if kind == "xml":
        return xml_document(data)
    if kind == "json":
        return _json_document(data)
    raise ScheduleError(
        ["the document: neither schedule JSON (starting with {) nor schedule XML (starting with <)"]
    )


def _json_document(data: bytes) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise ScheduleError(["the document: not UTF-8 text"]) from None
    except json.JSONDecodeError as error:
        raise ScheduleError(
            [f"the document: not valid JSON at line {error.lineno}, column {error.colno}"]
        ) from None
    except RecursionError:
        raise ScheduleError(["the document: nested too deeply to be a schedule"]) from None


def _cleaned(value: Any) -> Any:
    """Drops characters no database or XML document can hold (NUL, lone surrogates)."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    return value


def _refuse_too_many_sessions(document: Any, limit: int) -> None:
    try:
        days = document["schedule"]["conference"]["days"]
        count = sum(len(events) for day in days for events in day["rooms"].values())
    except (KeyError, TypeError, AttributeError):
        return  # validation names what is missing or misshapen
    if count > limit:
        raise ScheduleError(
            [f"schedule.conference.days: {count:,} sessions is more than the {limit:,} allowed"]
        )


def _schedule(wire: WireDocument) -> Schedule:
    generator = wire.generator.name if wire.generator else None
    return Schedule(
        version=wire.schedule.version,
        conference=_conference(wire.schedule.conference),
        generator=generator,
    )


def _conference(wire: WireConference) -> Conference:
    zone = ZoneInfo(checks.time_zone_of(wire))
    days = tuple(_day(day, position, zone) for position, day in enumerate(wire.days))
    return Conference(
        acronym=wire.acronym,
        title=wire.title,
        start=wire.start or min((day.date for day in days), default=None),
        end=wire.end or max((day.date for day in days), default=None),
        time_zone=zone.key,
        rooms=_rooms(wire),
        tracks=_tracks(wire),
        days=days,
        url=wire.url,
    )


def _rooms(wire: WireConference) -> tuple[Room, ...]:
    """The rooms listed, then any room only a day names, in the order first named."""
    rooms = {
        room.name: Room(room.name, room.guid, room.description, room.capacity)
        for room in wire.rooms
    }
    for day in wire.days:
        for name in day.rooms:
            rooms.setdefault(name, Room(name))
    return tuple(rooms.values())


def _tracks(wire: WireConference) -> tuple[Track, ...]:
    """The tracks listed, then any track only a session names."""
    tracks = {track.name: Track(track.name, track.color, track.slug) for track in wire.tracks}
    for day in wire.days:
        for events in day.rooms.values():
            for event in events:
                if event.track:
                    tracks.setdefault(event.track, Track(event.track))
    return tuple(tracks.values())


def _day(wire: WireDay, position: int, zone: ZoneInfo) -> Day:
    start = checks.aware(wire.day_start, zone)
    return Day(
        index=wire.index or position + 1,
        date=wire.date or start.date(),
        day_start=start,
        day_end=checks.aware(wire.day_end, zone),
        rooms={
            name: tuple(_session(event, name, zone) for event in events)
            for name, events in wire.rooms.items()
        },
    )


def _session(wire: WireEvent, room: str, zone: ZoneInfo) -> ScheduleItem:
    moment = checks.aware(wire.date, zone)
    return ScheduleItem(
        guid=wire.guid,
        title=wire.title,
        room=room,
        date=moment,
        start=wire.start or moment.strftime("%H:%M"),
        duration=wire.duration,
        id=wire.id,
        code=wire.code,
        slug=wire.slug,
        subtitle=wire.subtitle,
        type=wire.type,
        language=wire.language,
        abstract=wire.abstract,
        description=wire.description,
        track=wire.track,
        persons=tuple(_person(person) for person in wire.persons),
        links=tuple(Link(link.url, link.title, link.type) for link in wire.links),
        do_not_record=wire.do_not_record,
        url=wire.url,
        origin_url=wire.origin_url,
    )


def _person(wire: WirePerson) -> Person:
    return Person(
        name=wire.name or wire.public_name,
        guid=wire.guid,
        code=wire.code,
        biography=wire.biography,
    )
