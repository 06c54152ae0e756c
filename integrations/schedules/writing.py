"""Writing a Schedule as schedule.json and schedule.xml, in the shapes the C3VOC schemas
(schema.json and schedule.xml.xsd) describe. Values the schemas would refuse (a code that is
not pretalx's, a colour that is not #rrggbb in XML) are left out rather than written wrong."""

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from integrations.schedules.model import Conference, Day, Link, Person, Schedule, ScheduleItem

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
TIMESLOT = "00:05"
LINK_TYPES = frozenset({"slides", "paper", "web", "blog", "article", "media", "related"})
_CODE = re.compile(r"[A-Z0-9]+")
_XML_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_XML_TRACK_SLUG = re.compile(r"[a-z0-9-]{2,}")
_JSON_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")
_HTTP = re.compile(r"https?://\S+")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def schedule_json(schedule: Schedule) -> bytes:
    document = {
        "$schema": SCHEMA_URL,
        "generator": {"name": schedule.generator or "community"},
        "schedule": {
            "version": schedule.version,
            "conference": _json_conference(schedule.conference),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _json_conference(conference: Conference) -> dict[str, Any]:
    document: dict[str, Any] = {
        "acronym": conference.acronym,
        "title": conference.title,
        "start": conference.start.isoformat(),
        "end": conference.end.isoformat(),
        "daysCount": len(conference.days),
        "timeslot_duration": TIMESLOT,
        "time_zone_name": conference.time_zone,
    }
    if conference.url and _HTTP.fullmatch(conference.url):
        document["url"] = conference.url
    document["tracks"] = [_json_track(track) for track in conference.tracks]
    document["rooms"] = [
        _present(
            name=room.name, guid=room.guid, description=room.description, capacity=room.capacity
        )
        for room in conference.rooms
    ]
    document["days"] = [_json_day(day) for day in conference.days]
    return document


def _json_track(track) -> dict[str, Any]:
    slug = track.slug if track.slug and _JSON_SLUG.fullmatch(track.slug) else None
    return _present(name=track.name, slug=slug, color=track.color)


def _json_day(day: Day) -> dict[str, Any]:
    return {
        "index": day.index,
        "date": day.date.isoformat(),
        "day_start": day.day_start.isoformat(),
        "day_end": day.day_end.isoformat(),
        "rooms": {
            name: [_json_session(item) for item in items] for name, items in day.rooms.items()
        },
    }


def _json_session(item: ScheduleItem) -> dict[str, Any]:
    document = {
        "guid": item.guid,
        "id": item.id,
        "date": item.date.isoformat(),
        "start": item.start,
        "duration": item.duration,
        "room": item.room,
        "slug": item.slug,
        "url": item.url,
        "title": item.title,
        "subtitle": item.subtitle,
        "track": item.track,
        "type": item.type or "talk",
        "language": item.language,
        "abstract": item.abstract or "",
        "description": item.description,
        "do_not_record": item.do_not_record,
        "persons": [_json_person(person) for person in item.persons],
        "links": [_json_link(link) for link in item.links],
    }
    if item.code and _CODE.fullmatch(item.code):
        document["code"] = item.code
    if item.origin_url and _HTTP.fullmatch(item.origin_url):
        document["origin_url"] = item.origin_url
    return document


def _json_person(person: Person) -> dict[str, Any]:
    # "name" without frab's "public_name" and "id": the schema wants one kind of person
    code = person.code if person.code and _CODE.fullmatch(person.code) else None
    return _present(guid=person.guid, code=code, name=person.name, biography=person.biography)


def _json_link(link: Link) -> dict[str, Any]:
    kind = link.type if link.type in LINK_TYPES else None
    return _present(url=link.url, title=link.title, type=kind)


def _present(**values: Any) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def schedule_xml(schedule: Schedule) -> bytes:
    root = Element("schedule")
    SubElement(root, "generator", name=schedule.generator or "community")
    _text(root, "version", schedule.version)
    _xml_conference(root, schedule.conference)
    for day in schedule.conference.days:
        _xml_day(root, day, schedule.conference)
    indent(root, space=" ")
    return tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _xml_conference(root: Element, conference: Conference) -> None:
    element = SubElement(root, "conference")
    _text(element, "acronym", conference.acronym)
    _text(element, "title", conference.title)
    _text(element, "start", conference.start.isoformat())
    _text(element, "end", conference.end.isoformat())
    _text(element, "days", str(len(conference.days)))
    _text(element, "timeslot_duration", TIMESLOT)
    if conference.url and _HTTP.fullmatch(conference.url):
        _text(element, "url", conference.url)
    _text(element, "time_zone_name", conference.time_zone)
    for track in conference.tracks:
        attributes = {"name": _xml_safe(track.name)}
        if track.color and _XML_COLOUR.fullmatch(track.color):
            attributes["color"] = track.color
        if track.slug and _XML_TRACK_SLUG.fullmatch(track.slug):
            attributes["slug"] = track.slug
        SubElement(element, "track", attributes)


def _xml_day(root: Element, day: Day, conference: Conference) -> None:
    element = SubElement(
        root,
        "day",
        index=str(day.index),
        date=day.date.isoformat(),
        start=day.day_start.isoformat(),
        end=day.day_end.isoformat(),
    )
    guids = {room.name: room.guid for room in conference.rooms}
    for name, items in day.rooms.items():
        room = SubElement(element, "room", name=_xml_safe(name))
        if guids.get(name):
            room.set("guid", guids[name])
        for item in items:
            _xml_session(room, item)


def _xml_session(room: Element, item: ScheduleItem) -> None:
    element = SubElement(room, "event", guid=item.guid)
    if item.id is not None:
        element.set("id", str(item.id))
    for name, value in (
        ("room", item.room),
        ("title", item.title),
        ("subtitle", item.subtitle),
        ("type", item.type or "talk"),
        ("date", item.date.isoformat()),
        ("start", item.start),
        ("duration", item.duration),
        ("abstract", item.abstract),
        ("slug", item.slug),
        ("track", item.track),
    ):
        _text(element, name, value or "")
    if item.language:
        _text(element, "language", item.language)
    if item.description:
        _text(element, "description", item.description)
    _xml_persons(element, item.persons)
    recording = SubElement(element, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true" if item.do_not_record else "false")
    _xml_links(element, item.links)
    for name, url in (("url", item.url), ("origin_url", item.origin_url)):
        if url and _HTTP.fullmatch(url):
            _text(element, name, url)


def _xml_persons(event: Element, persons: tuple[Person, ...]) -> None:
    element = SubElement(event, "persons")
    for person in persons:
        tag = SubElement(element, "person")
        if person.guid:
            tag.set("guid", person.guid)
        tag.text = _xml_safe(person.name)


def _xml_links(event: Element, links: tuple[Link, ...]) -> None:
    element = SubElement(event, "links")
    for link in links:
        SubElement(element, "link", href=_xml_safe(link.url)).text = _xml_safe(
            link.title or link.url
        )


def _text(parent: Element, name: str, value: str) -> Element:
    element = SubElement(parent, name)
    element.text = _xml_safe(value)
    return element


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
