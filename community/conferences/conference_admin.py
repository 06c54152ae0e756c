"""What organisers change in a conference: making an event one, its settings, stages,
tracks, sessions and speakers, and publishing its agenda. Every change of the programme
bumps its schedule version."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from community.conferences.programme import (
    conference_by_acronym,
    conference_of_event,
    touch_programme,
)
from community.events.services import slugify
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    SessionKind,
    SessionSpeaker,
    Speaker,
    Stage,
    StageKind,
    Track,
)
from community.models.types import utcnow

# The frab schedule schema's pattern, so every acronym exports as a valid schedule.
ACRONYM = re.compile(r"[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?", re.ASCII)
MAX_ACRONYM_LENGTH = 100
MIN_DURATION, MAX_DURATION = 5, 24 * 60


class AdminError(ValueError):
    """A change refused; the message says what to do instead."""


@dataclass(frozen=True)
class SettingsInput:
    acronym: str
    cfp_opens_at: datetime | None
    cfp_closes_at: datetime | None
    cfp_description: str


@dataclass(frozen=True)
class StageInput:
    name: str
    kind: str = StageKind.PHYSICAL
    stream_url: str | None = None
    capacity: int | None = None
    position: int = 0
    description: str = ""


@dataclass(frozen=True)
class SpeakerInput:
    name: str
    biography: str = ""
    email: str | None = None


@dataclass(frozen=True)
class SessionInput:
    title: str
    kind: str = SessionKind.TALK
    abstract: str = ""
    tags: list[str] = field(default_factory=list)
    track_id: int | None = None
    duration_minutes: int = 30
    speaker_ids: list[int] = field(default_factory=list)
    new_speaker: SpeakerInput | None = None


def check_acronym(session: Session, acronym: str, *, conference: Conference | None = None) -> str:
    """The acronym if it is well formed and no other conference has it."""
    if len(acronym) > MAX_ACRONYM_LENGTH or not ACRONYM.fullmatch(acronym):
        raise AdminError(
            f"“{acronym[:MAX_ACRONYM_LENGTH]}” cannot be an acronym: use at least 4 lowercase "
            "letters, digits or _ (as in mlopscon or mlops_world), optionally ending in a year "
            "and a word (mlopscon-2027-berlin)."
        )
    taken = conference_by_acronym(session, acronym)
    if taken is not None and taken is not conference:
        raise AdminError(f"Another conference already has the acronym {acronym}; pick another.")
    return acronym


def make_conference(session: Session, event: Event, acronym: str) -> Conference:
    """Gives the event a programme: it becomes a conference with an unpublished agenda."""
    if conference_of_event(session, event.id) is not None:
        raise AdminError("This event is already a conference.")
    conference = Conference(event_id=event.id, acronym=check_acronym(session, acronym))
    event.kind = "conference"
    session.add(conference)
    session.flush()
    return conference


def update_settings(session: Session, conference: Conference, data: SettingsInput) -> None:
    opens, closes = data.cfp_opens_at, data.cfp_closes_at
    if opens and closes and closes <= opens:
        raise AdminError("The call for proposals must close after it opens.")
    conference.acronym = check_acronym(session, data.acronym, conference=conference)
    conference.cfp_opens_at, conference.cfp_closes_at = opens, closes
    conference.cfp_description = data.cfp_description
    touch_programme(conference)
    session.flush()


def publish_agenda(conference: Conference) -> None:
    conference.agenda_published_at = conference.agenda_published_at or utcnow()
    touch_programme(conference)


def unpublish_agenda(conference: Conference) -> None:
    conference.agenda_published_at = None
    touch_programme(conference)


def add_stage(session: Session, conference: Conference, data: StageInput) -> Stage:
    stage = Stage(conference_id=conference.id, guid=str(uuid.uuid4()), name="")
    _fill_stage(session, conference, stage, data)
    session.add(stage)
    session.flush()
    return stage


def update_stage(session: Session, conference: Conference, stage: Stage, data: StageInput) -> None:
    _fill_stage(session, conference, stage, data)
    session.flush()


def _fill_stage(session: Session, conference: Conference, stage: Stage, data: StageInput) -> None:
    _refuse_taken_name(session, Stage, conference, stage, data.name, "a stage")
    stage.name, stage.kind, stage.description = data.name, data.kind, data.description
    stage.stream_url = data.stream_url if data.kind == StageKind.VIRTUAL else None
    stage.capacity, stage.position = data.capacity, data.position
    touch_programme(conference)


def remove_stage(session: Session, conference: Conference, stage: Stage) -> int:
    """Removes the stage; its sessions go back to the unplaced ones. Returns how many."""
    moved = _sessions_where(session, conference, ConferenceSession.stage_id == stage.id)
    for item in moved:
        item.stage_id, item.starts_at = None, None
    session.flush()
    session.delete(stage)
    touch_programme(conference)
    session.flush()
    return len(moved)


def add_track(session: Session, conference: Conference, name: str, color: str | None) -> Track:
    track = Track(conference_id=conference.id, name="", slug="")
    _fill_track(session, conference, track, name, color)
    session.add(track)
    session.flush()
    return track


def update_track(
    session: Session, conference: Conference, track: Track, name: str, color: str | None
) -> None:
    _fill_track(session, conference, track, name, color)
    session.flush()


def _fill_track(
    session: Session, conference: Conference, track: Track, name: str, color: str | None
) -> None:
    _refuse_taken_name(session, Track, conference, track, name, "a track")
    track.name, track.color = name, color
    track.slug = _free_slug(session, Track, conference, name, track.id)
    touch_programme(conference)


def remove_track(session: Session, conference: Conference, track: Track) -> None:
    """Removes the track; its sessions stay, in no track."""
    for item in _sessions_where(session, conference, ConferenceSession.track_id == track.id):
        item.track_id = None
    session.flush()
    session.delete(track)
    touch_programme(conference)
    session.flush()


def add_session(session: Session, conference: Conference, data: SessionInput) -> ConferenceSession:
    item = ConferenceSession(
        conference_id=conference.id, guid=str(uuid.uuid4()), slug="", title=data.title
    )
    _fill_session(session, conference, item, data)
    return item


def update_session(
    session: Session, conference: Conference, item: ConferenceSession, data: SessionInput
) -> None:
    _fill_session(session, conference, item, data)


def _fill_session(
    session: Session, conference: Conference, item: ConferenceSession, data: SessionInput
) -> None:
    _check_duration(data.duration_minutes)
    if data.track_id is not None and _own(session, Track, conference, data.track_id) is None:
        raise AdminError("That track is not one of this conference's; pick another.")
    if item.title != data.title or not item.slug:
        item.slug = _free_slug(session, ConferenceSession, conference, data.title, item.id)
    item.title, item.kind, item.abstract = data.title, data.kind, data.abstract
    item.tags, item.track_id = list(data.tags), data.track_id
    item.duration_minutes, item.updated_at = data.duration_minutes, utcnow()
    session.add(item)
    session.flush()
    speaker_ids = [*data.speaker_ids]
    if data.new_speaker is not None:
        speaker_ids.append(add_speaker(session, conference, data.new_speaker).id)
    _set_speakers(session, conference, item, speaker_ids)
    touch_programme(conference)
    session.flush()


def remove_session(session: Session, conference: Conference, item: ConferenceSession) -> None:
    session.delete(item)
    touch_programme(conference)
    session.flush()


def add_speaker(session: Session, conference: Conference, data: SpeakerInput) -> Speaker:
    speaker = Speaker(
        conference_id=conference.id,
        guid=str(uuid.uuid4()),
        slug=_free_slug(session, Speaker, conference, data.name, None),
        name=data.name,
        biography=data.biography,
        email=data.email,
    )
    session.add(speaker)
    session.flush()
    return speaker


def speakers_of_conference(session: Session, conference: Conference) -> list[Speaker]:
    statement = select(Speaker).where(Speaker.conference_id == conference.id).order_by(Speaker.name)
    return list(session.exec(statement))


def _set_speakers(
    session: Session, conference: Conference, item: ConferenceSession, speaker_ids: list[int]
) -> None:
    """The session's speakers, in the order given; ids of other conferences are refused."""
    unique = list(dict.fromkeys(speaker_ids))
    if any(_own(session, Speaker, conference, speaker_id) is None for speaker_id in unique):
        raise AdminError("A speaker picked is not one of this conference's; pick again.")
    for link in session.exec(select(SessionSpeaker).where(SessionSpeaker.session_id == item.id)):
        session.delete(link)
    session.flush()
    session.add_all(
        SessionSpeaker(session_id=item.id, speaker_id=speaker_id, position=position)
        for position, speaker_id in enumerate(unique)
    )


def place_session(
    conference: Conference,
    item: ConferenceSession,
    *,
    stage: Stage,
    starts_at: datetime,
    duration_minutes: int,
) -> None:
    """Puts the session on the stage at that time, clashes or not: the caller has warned."""
    _check_duration(duration_minutes)
    if stage.conference_id != conference.id:
        raise AdminError("That stage is not one of this conference's; pick another.")
    item.stage_id, item.starts_at, item.duration_minutes = stage.id, starts_at, duration_minutes
    item.updated_at = utcnow()
    touch_programme(conference)


def unplace_session(conference: Conference, item: ConferenceSession) -> None:
    item.stage_id, item.starts_at, item.updated_at = None, None, utcnow()
    touch_programme(conference)


def _check_duration(minutes: int) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise AdminError(
            f"A session lasts from {MIN_DURATION} to {MAX_DURATION:,} minutes; "
            f"{minutes:,} is outside that."
        )


def _own(session: Session, model, conference: Conference, row_id: int):
    """The row of this conference with that id, or None (also for another conference's)."""
    row = session.get(model, row_id)
    return row if row is not None and row.conference_id == conference.id else None


def _refuse_taken_name(session, model, conference: Conference, row, name: str, what: str) -> None:
    statement = select(model.id).where(model.conference_id == conference.id, model.name == name)
    taken = session.exec(statement).first()
    if taken is not None and taken != row.id:
        raise AdminError(f"This conference already has {what} called “{name}”; pick another name.")


def _free_slug(session, model, conference: Conference, text: str, own_id: int | None) -> str:
    """A slug of `text` no other row of the conference has: "keynote", "keynote-2"…"""
    base = slugify(text)
    statement = select(model.id, model.slug).where(
        model.conference_id == conference.id, model.slug.startswith(base)
    )
    taken = {slug for row_id, slug in session.exec(statement) if row_id != own_id}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _sessions_where(session: Session, conference: Conference, condition) -> list[ConferenceSession]:
    statement = select(ConferenceSession).where(
        ConferenceSession.conference_id == conference.id, condition
    )
    return list(session.exec(statement))
