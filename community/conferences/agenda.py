"""The public agenda: which conferences show one, each day's sessions with their stage, track
and speakers, the filters, and what is on each stage now and next."""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community.conferences.programme import (
    ConferenceDay,
    conference_days,
    sessions_of,
    speakers_of_sessions,
    stages_of,
    tracks_of,
)
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    SessionSpeaker,
    Speaker,
    Stage,
    Track,
)


@dataclass(frozen=True)
class AgendaEntry:
    """A placed session with what the agenda shows beside it."""

    item: ConferenceSession
    stage: Stage | None
    track: Track | None
    speakers: list[Speaker]

    @property
    def starts_at(self) -> datetime:
        return self.item.starts_at

    @property
    def ends_at(self) -> datetime:
        return self.item.ends_at

    def is_on_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


@dataclass
class Agenda:
    """A conference's programme as the public reads it: only placed sessions."""

    conference: Conference
    event: Event
    days: list[ConferenceDay]
    stages: list[Stage]
    tracks: list[Track]
    entries: list[AgendaEntry] = field(default_factory=list)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.event.timezone)

    def runs_at(self, moment: datetime) -> bool:
        return self.event.starts_at <= moment < self.event.ends_at

    def day_at(self, moment: datetime) -> ConferenceDay | None:
        return next((day for day in self.days if day.starts_at <= moment < day.ends_at), None)

    def on_day(self, day: ConferenceDay) -> list[AgendaEntry]:
        return [entry for entry in self.entries if day.starts_at <= entry.starts_at < day.ends_at]

    def day_of(self, entry: AgendaEntry) -> ConferenceDay | None:
        return self.day_at(entry.starts_at)


@dataclass(frozen=True)
class StageNow:
    stage: Stage
    now: AgendaEntry | None
    next: AgendaEntry | None


def is_public(conference: Conference, event: Event) -> bool:
    """The agenda is public once the event is published and the agenda too."""
    return (
        event.status == EventStatus.PUBLISHED
        and event.published_at is not None
        and conference.agenda_published_at is not None
    )


def public_conferences(session: Session, now: datetime) -> list[tuple[Conference, Event]]:
    """Conferences with a public agenda: the ones still to come or running, soonest first,
    then the ones that ended, latest first."""
    statement = (
        select(Conference, Event)
        .join(Event, Event.id == Conference.event_id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.published_at.is_not(None),
            Conference.agenda_published_at.is_not(None),
        )
        .order_by(Event.starts_at, Event.id)
    )
    rows = list(session.exec(statement))
    coming = [row for row in rows if row[1].ends_at > now]
    ended = [row for row in rows if row[1].ends_at <= now]
    return coming + ended[::-1]


def load_agenda(session: Session, conference: Conference, event: Event) -> Agenda:
    """Every placed session with its stage, track and speakers, read in four queries."""
    stages, tracks = stages_of(session, conference), tracks_of(session, conference)
    placed = [
        item
        for item in sessions_of(session, conference)
        if item.starts_at is not None and item.stage_id is not None
    ]
    speakers = speakers_of_sessions(session, [item.id for item in placed])
    stage_by_id = {stage.id: stage for stage in stages}
    track_by_id = {track.id: track for track in tracks}
    entries = [
        AgendaEntry(
            item=item,
            stage=stage_by_id.get(item.stage_id),
            track=track_by_id.get(item.track_id),
            speakers=speakers[item.id],
        )
        for item in placed
    ]
    # Sessions that start together read in the stages' order, as the agenda's columns do.
    position = {stage.id: index for index, stage in enumerate(stages)}
    entries.sort(key=lambda entry: (entry.starts_at, position.get(entry.item.stage_id, 0)))
    return Agenda(conference, event, conference_days(event), stages, tracks, entries)


def chosen_day(agenda: Agenda, requested: str | None, now: datetime) -> ConferenceDay:
    """The day asked for (?day=2), else today while the conference runs, else its first."""
    if requested and requested.isdigit():
        asked = next((day for day in agenda.days if day.index == int(requested)), None)
        if asked is not None:
            return asked
    return agenda.day_at(now) or agenda.days[0]


def find_track(agenda: Agenda, slug: str | None) -> Track | None:
    return next((track for track in agenda.tracks if slug and track.slug == slug), None)


def find_stage(agenda: Agenda, key: str | None) -> Stage | None:
    """By the stage's GUID (what the schedule format names it by) or its id."""
    if not key:
        return None
    return next(
        (stage for stage in agenda.stages if stage.guid == key or str(stage.id) == key), None
    )


def filtered(
    entries: list[AgendaEntry], *, track: Track | None, stage: Stage | None
) -> list[AgendaEntry]:
    return [
        entry
        for entry in entries
        if (track is None or entry.item.track_id == track.id)
        and (stage is None or entry.item.stage_id == stage.id)
    ]


def now_and_next(agenda: Agenda, now: datetime) -> list[StageNow]:
    """For each stage with something on now or later today: what is on, and what follows.
    Empty when the conference is not running."""
    if not agenda.runs_at(now):
        return []
    today = agenda.day_at(now)
    if today is None:
        return []
    later_today = [entry for entry in agenda.on_day(today) if entry.ends_at > now]
    board = []
    for stage in agenda.stages:
        on_stage = [entry for entry in later_today if entry.item.stage_id == stage.id]
        current = next((entry for entry in on_stage if entry.is_on_at(now)), None)
        coming = next((entry for entry in on_stage if entry.starts_at > now), None)
        if current or coming:
            board.append(StageNow(stage, current, coming))
    return board


def entry_by_slug(agenda: Agenda, slug: str) -> AgendaEntry | None:
    return next((entry for entry in agenda.entries if entry.item.slug == slug), None)


def session_by_slug(session: Session, conference: Conference, slug: str):
    statement = select(ConferenceSession).where(
        ConferenceSession.conference_id == conference.id, ConferenceSession.slug == slug
    )
    return session.exec(statement).first()


def speaker_by_slug(session: Session, conference: Conference, slug: str) -> Speaker | None:
    statement = select(Speaker).where(Speaker.conference_id == conference.id, Speaker.slug == slug)
    return session.exec(statement).first()


def session_ids_of_speaker(session: Session, speaker: Speaker) -> set[int]:
    statement = select(SessionSpeaker.session_id).where(SessionSpeaker.speaker_id == speaker.id)
    return set(session.exec(statement))


def virtual_stages(agenda: Agenda) -> list[Stage]:
    """The stages streamed online that have a join link."""
    return [stage for stage in agenda.stages if stage.kind == "virtual" and stage.stream_url]
