"""Where a session may go on the agenda: what clashes with a proposed stage and time, and
the clashes already in a placed programme."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community.conferences.programme import conference_days, event_of, stages_of
from community.models import Conference, ConferenceSession, Event, SessionSpeaker, Speaker


@dataclass(frozen=True)
class Conflict:
    kind: str  # "speaker", "stage", "outside-days" or "after-end"
    message: str
    session_ids: tuple[int, ...] = ()  # the sessions it concerns


@dataclass(frozen=True)
class _Slot:
    """A session as it is, or as it would be once placed."""

    session_id: int
    title: str
    stage_id: int
    starts_at: datetime
    ends_at: datetime

    def overlaps(self, other: "_Slot") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


class _Clock:
    """Formats moments as the conference's own clock shows them."""

    def __init__(self, event: Event):
        self.zone = ZoneInfo(event.timezone)

    def moment(self, at: datetime) -> str:
        local = at.astimezone(self.zone)
        return f"{local:%a} {local.day} {local:%b %H:%M}"

    def span(self, slot: _Slot) -> str:
        return f"{self.moment(slot.starts_at)}–{slot.ends_at.astimezone(self.zone):%H:%M}"


def conflicts_of(
    session: Session,
    conference: Conference,
    conference_session: ConferenceSession,
    stage_id: int,
    starts_at: datetime,
    duration_minutes: int,
) -> list[Conflict]:
    """What would clash if `conference_session` were placed on the stage at that time:
    its speakers elsewhere, the stage taken, a time outside the conference."""
    event = event_of(session, conference)
    proposed = _Slot(
        session_id=conference_session.id,
        title=conference_session.title,
        stage_id=stage_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=duration_minutes),
    )
    others = [
        slot
        for slot in _placed_slots(session, conference)
        if slot.session_id != proposed.session_id
    ]
    speakers = _speakers_by_session(session, conference)
    own = speakers.get(proposed.session_id, {})
    clock = _Clock(event)
    stage_names = _stage_names(session, conference)
    found = []
    for other in others:
        if not proposed.overlaps(other):
            continue
        if other.stage_id == proposed.stage_id:
            found.append(_stage_clash(proposed, other, stage_names, clock))
        shared = sorted(set(own) & set(speakers.get(other.session_id, {})))
        found += [_speaker_clash(own[speaker], proposed, other, clock) for speaker in shared]
    found += _outside_the_conference(proposed, event, clock)
    return found


def programme_conflicts(session: Session, conference: Conference) -> list[Conflict]:
    """Every clash in the sessions placed so far, each pair named once."""
    event = event_of(session, conference)
    slots = _placed_slots(session, conference)
    speakers = _speakers_by_session(session, conference)
    clock = _Clock(event)
    stage_names = _stage_names(session, conference)
    found = []
    for first, second in combinations(slots, 2):
        if not first.overlaps(second):
            continue
        if first.stage_id == second.stage_id:
            found.append(_stage_clash(first, second, stage_names, clock))
        own = speakers.get(first.session_id, {})
        shared = sorted(set(own) & set(speakers.get(second.session_id, {})))
        found += [_speaker_clash(own[speaker], first, second, clock) for speaker in shared]
    for slot in slots:
        found += _outside_the_conference(slot, event, clock)
    return found


def _stage_clash(slot: _Slot, other: _Slot, stage_names: dict[int, str], clock: _Clock) -> Conflict:
    stage = stage_names.get(slot.stage_id, "the stage")
    return Conflict(
        kind="stage",
        message=(
            f"{stage} is double-booked: “{slot.title}” ({clock.span(slot)}) overlaps "
            f"“{other.title}” ({clock.span(other)})."
        ),
        session_ids=(slot.session_id, other.session_id),
    )


def _speaker_clash(speaker: str, slot: _Slot, other: _Slot, clock: _Clock) -> Conflict:
    return Conflict(
        kind="speaker",
        message=(
            f"{speaker} would be in two places at once: “{slot.title}” ({clock.span(slot)}) "
            f"and “{other.title}” ({clock.span(other)})."
        ),
        session_ids=(slot.session_id, other.session_id),
    )


def _outside_the_conference(slot: _Slot, event: Event, clock: _Clock) -> list[Conflict]:
    days = conference_days(event)
    first, last = days[0], days[-1]
    if slot.starts_at < first.starts_at or slot.ends_at > last.ends_at:
        return [
            Conflict(
                kind="outside-days",
                message=(
                    f"“{slot.title}” ({clock.span(slot)}) is outside the conference's days, "
                    f"{first.date:%a} {first.date.day} {first.date:%b} to "
                    f"{last.date:%a} {last.date.day} {last.date:%b}."
                ),
                session_ids=(slot.session_id,),
            )
        ]
    if slot.starts_at < event.starts_at or slot.ends_at > event.ends_at:
        return [
            Conflict(
                kind="after-end",
                message=(
                    f"“{slot.title}” ({clock.span(slot)}) runs outside the conference's hours, "
                    f"{clock.moment(event.starts_at)} to {clock.moment(event.ends_at)}."
                ),
                session_ids=(slot.session_id,),
            )
        ]
    return []


def _placed_slots(session: Session, conference: Conference) -> list[_Slot]:
    statement = (
        select(ConferenceSession)
        .where(
            ConferenceSession.conference_id == conference.id,
            ConferenceSession.stage_id.is_not(None),
            ConferenceSession.starts_at.is_not(None),
        )
        .order_by(ConferenceSession.starts_at, ConferenceSession.id)
    )
    return [
        _Slot(item.id, item.title, item.stage_id, item.starts_at, item.ends_at)
        for item in session.exec(statement)
    ]


def _speakers_by_session(session: Session, conference: Conference) -> dict[int, dict[int, str]]:
    """Each session's speakers as {speaker id: name}."""
    statement = (
        select(SessionSpeaker.session_id, Speaker.id, Speaker.name)
        .join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
        .where(Speaker.conference_id == conference.id)
    )
    speakers: dict[int, dict[int, str]] = {}
    for session_id, speaker_id, name in session.exec(statement):
        speakers.setdefault(session_id, {})[speaker_id] = name
    return speakers


def _stage_names(session: Session, conference: Conference) -> dict[int, str]:
    return {stage.id: stage.name for stage in stages_of(session, conference)}
