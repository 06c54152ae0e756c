"""A conference's programme as a frab/pretalx Schedule, for schedule.json and schedule.xml.

Only placed sessions (a stage and a start) within the conference's days are in it, each on
the day its start falls on in the conference's zone, with the times in that zone.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from community.conferences import programme
from community.links import public_url
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    Speaker,
    Stage,
    Track,
)
from integrations.schedules import model as schedule

# The schedule.xml.xsd's slug: a prefix of four or more, a dash, then four or more.
_XSD_SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
_JSON_SLUG = re.compile(r"[a-z0-9_-]+[a-z0-9]")
_LINK_FIELDS = (("slides_url", "slides", "Slides"), ("recording_url", "media", "Recording"))


def published_schedule(session: Session, acronym: str) -> schedule.Schedule | None:
    """The schedule of a published conference whose agenda is published, else None."""
    conference = programme.conference_by_acronym(session, acronym)
    if conference is None or conference.agenda_published_at is None:
        return None
    event = programme.event_of(session, conference)
    if event.status != EventStatus.PUBLISHED:
        return None
    return conference_schedule(session, conference, event)


def conference_schedule(
    session: Session, conference: Conference, event: Event
) -> schedule.Schedule:
    zone = ZoneInfo(event.timezone)
    stages = programme.stages_of(session, conference)
    tracks = {track.id: track for track in programme.tracks_of(session, conference)}
    days = programme.conference_days(event)
    placed = _placed_by_day(session, conference, days, zone)
    speakers = programme.speakers_of_sessions(
        session, [item.id for items in placed.values() for item in items]
    )
    context = _Context(conference, zone, {stage.id: stage for stage in stages}, tracks, speakers)
    return schedule.Schedule(
        version=str(conference.schedule_version),
        conference=schedule.Conference(
            acronym=conference.acronym,
            title=event.title,
            start=days[0].date,
            end=days[-1].date,
            time_zone=event.timezone,
            rooms=tuple(_room(stage) for stage in stages),
            tracks=tuple(
                schedule.Track(track.name, track.color, track.slug) for track in tracks.values()
            ),
            days=tuple(_day(day, stages, placed[day.index], context) for day in days),
            url=public_url(f"/conferences/{conference.acronym}"),
        ),
        generator="community",
    )


@dataclass(frozen=True)
class _Context:
    conference: Conference
    zone: ZoneInfo
    stages: dict[int, Stage]
    tracks: dict[int, Track]
    speakers: dict[int, list[Speaker]]


def _placed_by_day(
    session: Session, conference: Conference, days, zone: ZoneInfo
) -> dict[int, list[ConferenceSession]]:
    index_of = {day.date: day.index for day in days}
    placed: dict[int, list[ConferenceSession]] = defaultdict(list)
    for item in programme.sessions_of(session, conference):
        if item.stage_id is None or item.starts_at is None:
            continue
        day = index_of.get(item.starts_at.astimezone(zone).date())
        if day is not None:
            placed[day].append(item)
    return placed


def _room(stage: Stage) -> schedule.Room:
    return schedule.Room(
        name=stage.name,
        guid=_uuid(stage.guid),
        description=stage.description or None,
        capacity=stage.capacity,
    )


def _day(day, stages: list[Stage], items: list[ConferenceSession], context) -> schedule.Day:
    by_stage: dict[int, list[ConferenceSession]] = defaultdict(list)
    for item in items:
        by_stage[item.stage_id].append(item)
    return schedule.Day(
        index=day.index,
        date=day.date,
        day_start=day.starts_at.astimezone(context.zone),
        day_end=day.ends_at.astimezone(context.zone),
        rooms={
            stage.name: tuple(_session(item, context) for item in by_stage[stage.id])
            for stage in stages
        },
    )


def _session(item: ConferenceSession, context: _Context) -> schedule.ScheduleItem:
    starts_at = item.starts_at.astimezone(context.zone)
    track = context.tracks.get(item.track_id)
    acronym = context.conference.acronym
    return schedule.ScheduleItem(
        guid=_uuid(item.guid),
        id=item.id,
        code=item.code,
        slug=_format_slug(acronym, item),
        title=item.title,
        subtitle=item.subtitle,
        type=item.kind,
        language=item.language,
        abstract=item.abstract,
        description=item.description or None,
        track=track.name if track else None,
        room=context.stages[item.stage_id].name,
        date=starts_at,
        start=starts_at.strftime("%H:%M"),
        duration=schedule.duration_text(item.duration_minutes),
        persons=tuple(_person(speaker) for speaker in context.speakers.get(item.id, [])),
        links=_links(item),
        do_not_record=item.do_not_record,
        url=public_url(f"/conferences/{acronym}/sessions/{item.slug}"),
        origin_url=item.origin_url,
    )


def _person(speaker: Speaker) -> schedule.Person:
    return schedule.Person(
        name=speaker.name,
        guid=_uuid(speaker.guid),
        code=speaker.code,
        biography=speaker.biography or None,
    )


def _links(item: ConferenceSession) -> tuple[schedule.Link, ...]:
    links = [schedule.Link(link["url"], link.get("title"), link.get("type")) for link in item.links]
    known = {link.url for link in links}
    for name, kind, title in _LINK_FIELDS:
        url = getattr(item, name)
        if url and url not in known:
            links.append(schedule.Link(url, title, kind))
    return tuple(links)


def _format_slug(acronym: str, item: ConferenceSession) -> str:
    """The session's slug when the schemas accept it (an imported pretalx slug such as
    "democon-25-focused-hardware" is kept), else "<acronym>-<id>-<slug>" in their shape."""
    if _XSD_SLUG.fullmatch(item.slug) and _JSON_SLUG.fullmatch(item.slug):
        return item.slug
    prefix = re.sub(r"[^a-z0-9_]", "_", acronym.lower()).ljust(4, "_")
    tail = re.sub(r"[^a-z0-9_-]", "-", item.slug.lower()).strip("-_") or "session"
    return f"{prefix}-{item.id:03d}-{tail}"


def _uuid(guid: str) -> str:
    """A guid made elsewhere that is not a UUID still names its row the same way each time."""
    try:
        return str(uuid.UUID(guid))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, guid))
