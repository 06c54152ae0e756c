"""A conference to test against: two days in Berlin, two stages, two tracks, five sessions."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

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

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Programme:
    event: Event
    conference: Conference
    stages: dict[str, Stage]
    tracks: dict[str, Track]
    sessions: dict[str, ConferenceSession]
    speakers: dict[str, Speaker]


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url, "PUBLIC_URL": "http://conf.test"}


def berlin(day: datetime, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` in Berlin on `day`'s date, as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def make_conference(session, make_event):
    """Creates and commits a published conference whose agenda is published, starting at
    09:00 Berlin time `days_ahead` days from now, over two days."""

    def make(*, acronym: str = "mlopscon", days_ahead: int = 10, **event_overrides) -> Programme:
        first = (utcnow() + timedelta(days=days_ahead)).astimezone(BERLIN)
        event = make_event(
            title=event_overrides.pop("title", "MLOps World Conference"),
            kind="conference",
            starts_at=berlin(first, 9),
            ends_at=berlin(first + timedelta(days=1), 18),
            **event_overrides,
        )
        conference = Conference(event_id=event.id, acronym=acronym, agenda_published_at=utcnow())
        session.add(conference)
        session.flush()
        stages = {
            name: Stage(
                conference_id=conference.id,
                guid=str(uuid.uuid4()),
                name=name,
                kind=kind,
                position=position,
                stream_url=stream,
            )
            for position, (name, kind, stream) in enumerate(
                [
                    ("Main Stage", StageKind.PHYSICAL, None),
                    ("Stream B", StageKind.VIRTUAL, "https://stream.example.org/b"),
                ]
            )
        }
        tracks = {
            name: Track(conference_id=conference.id, name=name, slug=slug, color=color)
            for name, slug, color in [
                ("Platforms", "platforms", "#1f6feb"),
                ("LLMOps", "llmops", "#8250df"),
            ]
        }
        session.add_all([*stages.values(), *tracks.values()])
        session.flush()
        speakers = {
            name: Speaker(
                conference_id=conference.id,
                guid=str(uuid.uuid4()),
                slug=name.lower().replace(" ", "-"),
                name=name,
                biography=f"{name} builds ML platforms.",
                email=f"{name.split()[0].lower()}@speakers.test",
            )
            for name in ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
        }
        session.add_all(speakers.values())
        session.flush()
        second = first + timedelta(days=1)
        plan = [
            # title, kind, stage, track, start, minutes, speakers
            (
                "Opening keynote",
                SessionKind.KEYNOTE,
                "Main Stage",
                None,
                berlin(first, 9),
                45,
                ["Ada Lovelace"],
            ),
            (
                "Feature stores in practice",
                SessionKind.TALK,
                "Main Stage",
                "Platforms",
                berlin(first, 10),
                30,
                ["Grace Hopper"],
            ),
            (
                "Evaluating LLM apps",
                SessionKind.WORKSHOP,
                "Stream B",
                "LLMOps",
                berlin(first, 10),
                90,
                ["Alan Turing", "Ada Lovelace"],
            ),
            ("Lunch", SessionKind.BREAK, "Main Stage", None, berlin(first, 12), 60, []),
            (
                "Platform teams panel",
                SessionKind.PANEL,
                "Main Stage",
                "Platforms",
                berlin(second, 14),
                60,
                ["Grace Hopper", "Alan Turing"],
            ),
        ]
        sessions = {}
        for title, kind, stage, track, starts_at, minutes, names in plan:
            item = ConferenceSession(
                conference_id=conference.id,
                guid=str(uuid.uuid4()),
                slug=title.lower().replace(" ", "-"),
                title=title,
                kind=kind,
                abstract=f"What {title.lower()} covers.",
                tags=["mlops"],
                language="en",
                stage_id=stages[stage].id,
                track_id=tracks[track].id if track else None,
                starts_at=starts_at,
                duration_minutes=minutes,
            )
            session.add(item)
            session.flush()
            session.add_all(
                SessionSpeaker(session_id=item.id, speaker_id=speakers[name].id, position=position)
                for position, name in enumerate(names)
            )
            sessions[title] = item
        session.commit()
        return Programme(event, conference, stages, tracks, sessions, speakers)

    return make
