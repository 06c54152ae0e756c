"""Importing a frab/pretalx schedule: the conference (by acronym), its event, stages (by room
guid), tracks (by name), sessions (by guid) and speakers (by person guid, else code).

Importing the same schedule again changes nothing; a changed schedule updates in place. A
session an earlier import brought and this schedule no longer lists is removed (it was
cancelled or moved out at the source); sessions made here, from proposals or by hand, are
never removed by an import, and a schedule listing no sessions at all removes nothing.
"""

import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community.conferences import programme
from community.config import settings
from community.events import announcements
from community.events.services import attendee_changes, input_from_event, new_uid, slugify
from community.fetch_policy import fetch_policy
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    SessionKind,
    SessionSpeaker,
    Speaker,
    Stage,
    Track,
)
from community.models.types import utcnow
from community.plurals import counted
from integrations.feeds.fetching import FetchError, fetch
from integrations.schedules import model as schedule
from integrations.schedules import reading

_KINDS = {kind.value: kind for kind in SessionKind} | {
    "lecture": SessionKind.TALK,
    "lightning talk": SessionKind.TALK,
    "hands-on": SessionKind.WORKSHOP,
    "discussion": SessionKind.PANEL,
    "podium": SessionKind.PANEL,
    "pause": SessionKind.BREAK,
}
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*[a-z0-9]")


SCHEDULE_ACCEPT = "application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


class ScheduleImportError(ValueError):
    """The schedule cannot be read or imported here; the message says why."""


def read_schedule_source(location: str) -> bytes:
    """The schedule's bytes, from an http(s) URL through the feed fetcher (private addresses
    refused, the same caps) or from a file, never more than a schedule may be."""
    limit = min(settings().FEEDS_MAX_BYTES, reading.MAX_BYTES)
    if location.startswith(("http://", "https://")):
        policy = replace(fetch_policy(settings()), max_bytes=limit)
        try:
            return fetch(location, policy=policy, accept=SCHEDULE_ACCEPT).content or b""
        except FetchError as error:
            raise ScheduleImportError(f"could not fetch {location}: {error}") from error
    path = Path(location).expanduser()
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ScheduleImportError(f"could not read {location}: {error.strerror}") from error
    if len(data) > limit:
        raise ScheduleImportError(
            f"{location} is larger than the {limit:,} bytes a schedule may be; refused"
        )
    return data


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass
class ImportReport:
    acronym: str
    conference_id: int = 0
    event_id: int = 0
    conference: str = "unchanged"  # "created", "updated" or "unchanged"
    published: bool = False
    stages: Counts = field(default_factory=Counts)
    tracks: Counts = field(default_factory=Counts)
    speakers: Counts = field(default_factory=Counts)
    sessions: Counts = field(default_factory=Counts)
    schedule_version: int = 0
    people_told: int = 0  # registered people emailed that the conference moved
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        parts = (self.stages, self.tracks, self.speakers, self.sessions)
        return self.conference != "unchanged" or any(part.changed for part in parts)

    def as_dict(self) -> dict:
        return asdict(self)


def import_schedule(
    *, session: Session, schedule_data: schedule.Schedule, draft: bool = False
) -> ImportReport:
    incoming = schedule_data.conference
    report = ImportReport(acronym=incoming.acronym)
    conference, event = _conference_and_event(session, incoming, draft, report)
    stages = _import_stages(session, conference, incoming, report)
    tracks = _import_tracks(session, conference, incoming, report)
    speakers = _import_speakers(session, conference, incoming, report)
    seen = {
        _import_session(session, conference, item, stages, tracks, speakers, report)
        for item in incoming.sessions
    }
    _remove_missing_sessions(session, conference, seen, report)
    if report.changed:
        programme.touch_programme(conference)
    session.flush()
    report.conference_id, report.event_id = conference.id, event.id
    report.published = event.status == EventStatus.PUBLISHED and bool(
        conference.agenda_published_at
    )
    report.schedule_version = conference.schedule_version
    return report


# The conference and its event


def _conference_and_event(
    session: Session, incoming: schedule.Conference, draft: bool, report: ImportReport
) -> tuple[Conference, Event]:
    conference = programme.conference_by_acronym(session, incoming.acronym)
    if conference is None:
        return _new_conference(session, incoming, draft, report)
    event = programme.event_of(session, conference)
    before = input_from_event(event)
    if _apply(event, _event_fields(incoming)):
        event.sequence += 1  # calendars that hold the conference see it changed
        event.updated_at = utcnow()
        report.conference = "updated"
        report.people_told = _tell_about_move(session, before, event)
    return conference, event


def _tell_about_move(session: Session, before, event: Event) -> int:
    """New dates reach the people registered, as they do when an organiser edits them."""
    changes = attendee_changes(before, event)
    if not changes or event.status != EventStatus.PUBLISHED:
        return 0
    return announcements.tell_about_change(session, event, changes)


def _new_conference(
    session: Session, incoming: schedule.Conference, draft: bool, report: ImportReport
) -> tuple[Conference, Event]:
    fields = _event_fields(incoming)
    event = Event(uid=new_uid(), slug=slugify(incoming.title), kind="conference", **fields)
    if not draft:
        event.status, event.published_at = EventStatus.PUBLISHED, utcnow()
    session.add(event)
    session.flush()
    conference = Conference(
        event_id=event.id,
        acronym=incoming.acronym,
        agenda_published_at=None if draft else utcnow(),
    )
    session.add(conference)
    session.flush()
    report.conference = "created"
    return conference, event


def _event_fields(incoming: schedule.Conference) -> dict:
    starts_at, ends_at = _event_span(incoming)
    return {
        "title": incoming.title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": incoming.time_zone,
    }


def _event_span(incoming: schedule.Conference) -> tuple[datetime, datetime]:
    """From the first session's start to the last one's end, reaching the conference's first
    and last dates so the event has the schedule's days: a first day without sessions starts
    at its midnight, a last day without sessions ends at the next midnight."""
    zone = ZoneInfo(incoming.time_zone)
    first = _midnight(incoming.start, zone)
    after_last = _midnight(incoming.end + timedelta(days=1), zone)
    sessions = incoming.sessions
    starts = [item.date.astimezone(UTC) for item in sessions]
    ends = [item.ends_at.astimezone(UTC) for item in sessions]
    earliest = min(starts, default=first)
    latest = max(ends, default=after_last)
    # A session past midnight of the last day (frab's days may run to 04:00) extends it.
    starts_at = earliest if earliest < first + timedelta(days=1) else first
    ends_at = latest if latest > after_last - timedelta(days=1) else after_last
    return starts_at, max(ends_at, starts_at + timedelta(minutes=1))


def _midnight(day, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _apply(row, wanted: dict) -> bool:
    """Sets the fields that differ; says whether any did."""
    changed = [name for name, value in wanted.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, wanted[name])
    return bool(changed)


# Stages and tracks


def _import_stages(
    session: Session, conference: Conference, incoming: schedule.Conference, report
) -> dict[str, Stage]:
    shared = _shared_guids(room.guid for room in incoming.rooms)
    stages = {}
    for position, room in enumerate(incoming.rooms):
        guid = _room_guid(session, conference, room, shared)
        stage = _find(session, Stage, conference, guid=guid) or _find(
            session, Stage, conference, name=room.name
        )
        wanted = {"guid": guid, "name": room.name, "position": position}
        if room.description is not None:
            wanted["description"] = room.description
        if room.capacity is not None:
            wanted["capacity"] = room.capacity
        stages[room.name] = _upsert(session, stage, Stage, conference, wanted, report.stages)
    return stages


def _shared_guids(guids) -> set[str]:
    seen, shared = set(), set()
    for guid in guids:
        (shared if guid in seen else seen).add(guid)
    return shared - {None}


def _room_guid(
    session: Session, conference: Conference, room: schedule.Room, shared: set[str]
) -> str:
    """The room's own guid, unless it is missing, shared with another room of the schedule
    (pretalx's demo export gives every room one guid) or another conference's: then one
    derived from the conference and the room's name, the same on every import."""
    if room.guid and room.guid not in shared and not _taken(session, Stage, room.guid, conference):
        return room.guid
    return _derived_guid(conference.acronym, "room", room.guid or "", room.name)


def _import_tracks(
    session: Session, conference: Conference, incoming: schedule.Conference, report
) -> dict[str, Track]:
    tracks = {}
    for item in incoming.tracks:
        track = _find(session, Track, conference, name=item.name)
        wanted = {"name": item.name}
        if item.color is not None:
            wanted["color"] = item.color
        if track is None:
            wanted["slug"] = _free_slug(session, Track, conference, slugify(item.name))
        tracks[item.name] = _upsert(session, track, Track, conference, wanted, report.tracks)
    return tracks


# Speakers


def _import_speakers(
    session: Session, conference: Conference, incoming: schedule.Conference, report
) -> dict[str, Speaker]:
    """Every person named by a session, once, keyed by `_person_key`."""
    speakers: dict[str, Speaker] = {}
    for item in incoming.sessions:
        for person in item.persons:
            key = _person_key(conference, person)
            if key not in speakers:
                speakers[key] = _import_speaker(session, conference, person, key, report)
    return speakers


def _person_key(conference: Conference, person: schedule.Person) -> str:
    """The speaker's guid: the person's own, else one derived from pretalx's code, else from
    the name (a schedule with neither names its people only by name)."""
    if person.guid:
        return person.guid
    if person.code:
        return _derived_guid(conference.acronym, "person-code", person.code)
    return _derived_guid(conference.acronym, "person-name", person.name)


def _import_speaker(
    session: Session, conference: Conference, person: schedule.Person, key: str, report
) -> Speaker:
    speaker = _find(session, Speaker, conference, guid=key)
    if speaker is None and person.guid:
        speaker = _find(session, Speaker, conference, guid=_foreign_guid(conference, key))
    if speaker is None and person.code:
        speaker = _find(session, Speaker, conference, code=person.code)
    wanted = {"name": person.name}
    if person.code:
        wanted["code"] = person.code
    if person.biography is not None:
        wanted["biography"] = person.biography
    if speaker is None:
        # The same person may speak at another conference here: their guid is that one's.
        taken = _taken(session, Speaker, key, conference)
        wanted["guid"] = _foreign_guid(conference, key) if taken else key
        wanted["slug"] = _free_slug(session, Speaker, conference, slugify(person.name))
    return _upsert(session, speaker, Speaker, conference, wanted, report.speakers)


def _foreign_guid(conference: Conference, guid: str) -> str:
    return _derived_guid(conference.acronym, "person", guid)


# Sessions


def _import_session(
    session: Session,
    conference: Conference,
    item: schedule.ScheduleItem,
    stages: dict[str, Stage],
    tracks: dict[str, Track],
    speakers: dict[str, Speaker],
    report: ImportReport,
) -> str:
    found = _find(session, ConferenceSession, conference, guid=item.guid)
    if found is None and _taken(session, ConferenceSession, item.guid, conference):
        raise ScheduleImportError(
            f"session {item.guid} ({item.title!r}) belongs to another conference here; "
            "a session's guid names one session of one conference"
        )
    wanted = _session_fields(item, stages, tracks)
    if found is None:
        slug = _SLUG.fullmatch(item.slug or "") and item.slug[:200]
        wanted |= {
            "guid": item.guid,
            "slug": _free_slug(session, ConferenceSession, conference, slug or slugify(item.title)),
            "imported_at": utcnow(),
        }
    counts = Counts()
    row = _upsert(session, found, ConferenceSession, conference, wanted, counts)
    ordered = [speakers[_person_key(conference, person)].id for person in item.persons]
    speakers_changed = _set_speakers(session, row, ordered)
    outcome = next(name for name in ("created", "updated", "unchanged") if getattr(counts, name))
    if outcome == "unchanged" and speakers_changed:
        outcome = "updated"
        row.updated_at = utcnow()
    report.sessions.count(outcome)
    return item.guid


def _session_fields(item: schedule.ScheduleItem, stages, tracks) -> dict:
    return {
        "title": item.title,
        "subtitle": item.subtitle or None,
        "kind": _KINDS.get((item.type or "").strip().lower(), SessionKind.TALK),
        "language": item.language or None,
        "abstract": item.abstract or "",
        "description": item.description or "",
        "stage_id": stages[item.room].id,
        "track_id": tracks[item.track].id if item.track else None,
        "starts_at": item.date.astimezone(UTC),
        "duration_minutes": item.duration_minutes,
        "do_not_record": bool(item.do_not_record),
        "code": item.code,
        "links": [_link(link) for link in item.links],
        "origin_url": item.origin_url or item.url,
    }


def _link(link: schedule.Link) -> dict:
    return {"url": link.url, "title": link.title, "type": link.type}


def _set_speakers(session: Session, row: ConferenceSession, ordered: list[int]) -> bool:
    ordered = list(dict.fromkeys(ordered))  # a person named twice speaks once
    statement = (
        select(SessionSpeaker)
        .where(SessionSpeaker.session_id == row.id)
        .order_by(SessionSpeaker.position)
    )
    current = list(session.exec(statement))
    if [link.speaker_id for link in current] == ordered:
        return False
    for link in current:
        session.delete(link)
    session.flush()
    session.add_all(
        SessionSpeaker(session_id=row.id, speaker_id=speaker_id, position=position)
        for position, speaker_id in enumerate(ordered)
    )
    session.flush()
    return True


def _remove_missing_sessions(
    session: Session, conference: Conference, seen: set[str], report: ImportReport
) -> None:
    if not seen:
        report.notes.append("the schedule lists no sessions; no session was removed")
        return
    statement = select(ConferenceSession).where(
        ConferenceSession.conference_id == conference.id,
        ConferenceSession.guid.not_in(seen),
    )
    kept = 0
    for row in session.exec(statement).all():
        if row.imported_at is None:
            kept += 1
            continue
        session.delete(row)
        report.sessions.removed += 1
    if kept:
        report.notes.append(
            f"{counted(kept, 'session')} made here and not in the schedule "
            f"{'was' if kept == 1 else 'were'} kept"
        )
    session.flush()


# Finding and writing rows of one conference


def _find(session: Session, table, conference: Conference, **where):
    statement = select(table).where(table.conference_id == conference.id)
    for name, value in where.items():
        statement = statement.where(getattr(table, name) == value)
    return session.exec(statement).first()


def _taken(session: Session, table, guid: str, conference: Conference) -> bool:
    """True when another conference's row already has this guid (guids are unique)."""
    statement = select(table.id).where(table.guid == guid, table.conference_id != conference.id)
    return session.exec(statement).first() is not None


def _upsert(session: Session, row, table, conference: Conference, wanted: dict, counts: Counts):
    if row is None:
        row = table(conference_id=conference.id, **wanted)
        session.add(row)
        session.flush()
        counts.count("created")
        return row
    if _apply(row, wanted):
        if hasattr(row, "updated_at"):
            row.updated_at = utcnow()
        session.flush()
        counts.count("updated")
    else:
        counts.count("unchanged")
    return row


def _free_slug(session: Session, table, conference: Conference, wanted: str) -> str:
    wanted = wanted[:190] or "untitled"
    slug, number = wanted, 1
    while _find(session, table, conference, slug=slug) is not None:
        number += 1
        slug = f"{wanted}-{number}"
    return slug


def _derived_guid(acronym: str, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(("schedule", acronym, *parts))))
