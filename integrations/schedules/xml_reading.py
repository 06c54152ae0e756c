"""schedule.xml into the shape of schedule.json, so one set of rules reads both.

defusedxml refuses entity declarations (the billion laughs) and external references, so a
schedule cannot make the parser expand itself or read a file or URL.
"""

from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from integrations.schedules.model import ScheduleError

_EVENT_TEXTS = (
    "room",
    "title",
    "subtitle",
    "type",
    "date",
    "start",
    "duration",
    "abstract",
    "slug",
    "track",
    "language",
    "description",
    "url",
    "origin_url",
    "code",
)


def xml_document(data: bytes) -> dict[str, Any]:
    root = _parsed(data)
    if root.tag != "schedule":
        raise ScheduleError([f"the document: expected a <schedule> element, got <{root.tag}>"])
    document: dict[str, Any] = {"schedule": _schedule(root)}
    generator = root.find("generator")
    if generator is not None:
        document["generator"] = dict(generator.attrib)
    return document


def _parsed(data: bytes) -> Element:
    try:
        return fromstring(data)
    except DefusedXmlException as refusal:
        raise ScheduleError(
            [
                f"the document: XML with entity declarations or external references is refused "
                f"({type(refusal).__name__})"
            ]
        ) from None
    except ParseError as error:
        line, column = error.position
        raise ScheduleError(
            [f"the document: not well-formed XML at line {line}, column {column + 1}"]
        ) from None


def _schedule(root: Element) -> dict[str, Any]:
    schedule: dict[str, Any] = {}
    if (version := _text(root, "version")) is not None:
        schedule["version"] = version
    conference = root.find("conference")
    days = [_day(day) for day in root.findall("day")]
    if conference is not None:
        schedule["conference"] = {**_conference(conference, root), "days": days}
    return schedule


def _conference(element: Element, root: Element) -> dict[str, Any]:
    conference = {
        name: value
        for name in ("acronym", "title", "start", "end", "time_zone_name", "url")
        if (value := _text(element, name)) is not None
    }
    conference["tracks"] = [dict(track.attrib) for track in element.findall("track")]
    conference["rooms"] = _rooms(element, root)
    return conference


def _rooms(conference: Element, root: Element) -> list[dict[str, Any]]:
    """The rooms a <conference><rooms> lists, else every room the days name, first seen first."""
    listed = conference.findall("rooms/room")
    rooms: dict[str, dict[str, Any]] = {}
    for room in listed or root.findall("day/room"):
        name = room.get("name")
        if name is not None and name not in rooms:
            rooms[name] = {key: room.get(key) for key in ("name", "guid") if room.get(key)}
    return list(rooms.values())


def _day(element: Element) -> dict[str, Any]:
    day: dict[str, Any] = {
        key: value
        for key, attribute in (
            ("index", "index"),
            ("date", "date"),
            ("day_start", "start"),
            ("day_end", "end"),
        )
        if (value := element.get(attribute)) is not None
    }
    rooms: dict[str, list] = {}
    for room in element.findall("room"):
        rooms.setdefault(room.get("name", ""), []).extend(
            _event(event) for event in room.findall("event")
        )
    day["rooms"] = rooms
    return day


def _event(element: Element) -> dict[str, Any]:
    event: dict[str, Any] = {key: element.get(key) for key in ("guid", "id") if element.get(key)}
    for name in _EVENT_TEXTS:
        if (value := _text(element, name)) is not None:
            event[name] = value
    event["persons"] = [_person(person) for person in element.findall("persons/person")]
    event["links"] = [
        {"url": link.get("href", ""), "title": (link.text or "").strip() or None}
        for link in element.findall("links/link")
    ]
    optout = _text(element, "recording/optout")
    if optout:
        event["do_not_record"] = optout
    return event


def _person(element: Element) -> dict[str, Any]:
    person = {key: element.get(key) for key in ("guid", "code") if element.get(key)}
    person["name"] = (element.text or "").strip()
    return person


def _text(element: Element, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    return "".join(found.itertext())
