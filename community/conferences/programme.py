"""Reading a conference's programme: its event, days, stages, tracks, sessions and speakers."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community.models import (
    Conference,
    ConferenceSession,
    Event,
    SessionSpeaker,
    Speaker,
    Stage,
    Track,
)
from community.models.types import utcnow


@dataclass(frozen=True)
class ConferenceDay:
    index: int  # 1 for the first day, as the schedule format counts
    date: date
    starts_at: datetime  # midnight of that date in the conference's time zone, as UTC
    ends_at: datetime


def conference_by_acronym(session: Session, acronym: str) -> Conference | None:
    return session.exec(select(Conference).where(Conference.acronym == acronym)).first()


def conference_of_event(session: Session, event_id: int) -> Conference | None:
    return session.exec(select(Conference).where(Conference.event_id == event_id)).first()


def event_of(session: Session, conference: Conference) -> Event:
    return session.get(Event, conference.event_id)


def conference_days(event: Event) -> list[ConferenceDay]:
    """Every calendar date the event touches in its own time zone, first to last."""
    zone = ZoneInfo(event.timezone)
    first = event.starts_at.astimezone(zone).date()
    # An event ending at midnight does not reach into the next day.
    last = (event.ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(
            ConferenceDay(
                index=offset + 1,
                date=day,
                starts_at=_local_midnight(day, zone),
                ends_at=_local_midnight(day + timedelta(days=1), zone),
            )
        )
    return days


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def stages_of(session: Session, conference: Conference) -> list[Stage]:
    statement = (
        select(Stage)
        .where(Stage.conference_id == conference.id)
        .order_by(Stage.position, Stage.name)
    )
    return list(session.exec(statement))


def tracks_of(session: Session, conference: Conference) -> list[Track]:
    statement = select(Track).where(Track.conference_id == conference.id).order_by(Track.name)
    return list(session.exec(statement))


def sessions_of(session: Session, conference: Conference) -> list[ConferenceSession]:
    """Every session, placed ones in start order, then the unplaced ones by title."""
    statement = (
        select(ConferenceSession)
        .where(ConferenceSession.conference_id == conference.id)
        .order_by(
            ConferenceSession.starts_at.is_(None),
            ConferenceSession.starts_at,
            ConferenceSession.title,
        )
    )
    return list(session.exec(statement))


def speakers_of_sessions(session: Session, session_ids: list[int]) -> dict[int, list[Speaker]]:
    """The speakers of each session, in the order they are named, read in one query."""
    if not session_ids:
        return {}
    statement = (
        select(SessionSpeaker.session_id, Speaker)
        .join(Speaker, Speaker.id == SessionSpeaker.speaker_id)
        .where(SessionSpeaker.session_id.in_(session_ids))
        .order_by(SessionSpeaker.session_id, SessionSpeaker.position, Speaker.name)
    )
    speakers: dict[int, list[Speaker]] = {session_id: [] for session_id in session_ids}
    for session_id, speaker in session.exec(statement):
        speakers[session_id].append(speaker)
    return speakers


def touch_programme(conference: Conference) -> None:
    """Call after any change readers of the schedule should notice."""
    conference.schedule_version += 1
    conference.updated_at = utcnow()
