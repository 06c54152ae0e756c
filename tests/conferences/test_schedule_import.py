"""Importing a frab/pretalx schedule creates the conference once and keeps it in step."""

import json

from sqlmodel import select

from community.conferences import programme
from community.conferences.schedule_import import import_schedule
from community.models import (
    Conference,
    ConferenceSession,
    Event,
    EventStatus,
    SessionKind,
    Speaker,
    Stage,
    Track,
)
from integrations.schedules.reading import read_schedule
from integrations.schedules.writing import schedule_xml
from tests.schedule_datasets import democon_bytes, encoded, session_document, tiny_schedule


def _import(session, data: bytes, **options):
    report = import_schedule(session=session, schedule_data=read_schedule(data), **options)
    session.commit()
    return report


def _count(session, table) -> int:
    return len(session.exec(select(table)).all())


def _democon_with(change) -> bytes:
    document = json.loads(democon_bytes())
    change(document["schedule"]["conference"])
    return encoded(document)


def test_importing_the_pretalx_demo_creates_its_conference_with_36_sessions(session):
    report = _import(session, democon_bytes())

    conference = programme.conference_by_acronym(session, "democon")
    event = programme.event_of(session, conference)
    assert (report.conference, report.sessions.created, report.published) == ("created", 36, True)
    assert (event.title, event.kind, event.timezone) == ("DemoCon", "conference", "UTC")
    assert event.status == EventStatus.PUBLISHED and conference.agenda_published_at
    assert [day.date.isoformat() for day in programme.conference_days(event)] == [
        "2020-12-14",
        "2020-12-15",
        "2020-12-16",
    ]
    assert [stage.name for stage in programme.stages_of(session, conference)] == [
        "Gray Room",
        "Tan Room",
    ]
    assert {track.name for track in programme.tracks_of(session, conference)} == {
        "Phased",
        "Horizontal",
    }
    assert len(programme.sessions_of(session, conference)) == 36
    assert _count(session, Speaker) == report.speakers.created == 27


def test_a_session_keeps_its_time_room_kind_and_speakers_in_order(session):
    _import(session, democon_bytes())

    item = session.exec(
        select(ConferenceSession).where(ConferenceSession.guid.startswith("8079583e"))
    ).one()
    stage = session.get(Stage, item.stage_id)
    assert item.title == "Focused 5thgeneration hardware"
    assert item.starts_at.isoformat() == "2020-12-14T08:00:00+00:00"
    assert (item.duration_minutes, item.kind, stage.name) == (30, SessionKind.TALK, "Gray Room")
    assert item.slug == "democon-25-focused-5thgeneration-hardware"
    assert item.origin_url == "http://localhost/democon/talk/G9JGWY/"
    three = session.exec(
        select(ConferenceSession).where(ConferenceSession.slug.startswith("democon-36-"))
    ).one()
    speakers = programme.speakers_of_sessions(session, [three.id])[three.id]
    assert len(speakers) == 3
    assert all(speaker.code and speaker.biography for speaker in speakers)


def test_importing_twice_changes_nothing_and_duplicates_nothing(session):
    _import(session, democon_bytes())
    conference = programme.conference_by_acronym(session, "democon")
    version = conference.schedule_version

    again = _import(session, democon_bytes())

    assert again.conference == "unchanged"
    assert (again.sessions.created, again.sessions.updated, again.sessions.removed) == (0, 0, 0)
    assert again.sessions.unchanged == 36
    assert again.speakers.created == again.stages.created == again.tracks.created == 0
    assert not again.changed
    counts = [_count(session, table) for table in (Conference, Event, ConferenceSession, Speaker)]
    assert counts == [1, 1, 36, 27]
    assert (_count(session, Stage), _count(session, Track)) == (2, 2)
    session.refresh(conference)
    assert conference.schedule_version == version


def test_a_title_edited_in_the_schedule_is_updated_in_place(session):
    _import(session, democon_bytes())
    conference = programme.conference_by_acronym(session, "democon")
    version = conference.schedule_version

    def retitle(conference_document):
        gray = conference_document["days"][0]["rooms"]["Gray Room"][0]
        gray["title"] = "Focused hardware, revised"
        gray["duration"] = "00:25"

    report = _import(session, _democon_with(retitle))

    assert (report.sessions.updated, report.sessions.unchanged) == (1, 35)
    item = session.exec(
        select(ConferenceSession).where(ConferenceSession.guid.startswith("8079583e"))
    ).one()
    assert (item.title, item.duration_minutes) == ("Focused hardware, revised", 25)
    assert item.slug == "democon-25-focused-5thgeneration-hardware"  # links keep working
    assert _count(session, ConferenceSession) == 36
    session.refresh(conference)
    assert conference.schedule_version > version


def test_a_moved_session_and_a_new_speaker_are_updated(session):
    _import(session, democon_bytes())

    def move(conference_document):
        tan = conference_document["days"][0]["rooms"]["Tan Room"][0]
        tan["date"], tan["start"] = "2020-12-14T16:00:00+01:00", "16:00"
        tan["persons"].append({"name": "Grace Hopper", "code": "GRACE1", "biography": "COBOL."})

    report = _import(session, _democon_with(move))

    assert (report.sessions.updated, report.speakers.created) == (1, 1)
    item = session.exec(
        select(ConferenceSession).where(ConferenceSession.slug.startswith("democon-14-"))
    ).one()
    assert item.starts_at.isoformat() == "2020-12-14T15:00:00+00:00"
    names = [s.name for s in programme.speakers_of_sessions(session, [item.id])[item.id]]
    assert names[-1] == "Grace Hopper" and len(names) == 2


def test_a_session_dropped_from_the_schedule_is_removed_but_one_made_here_is_kept(session):
    _import(session, democon_bytes())
    conference = programme.conference_by_acronym(session, "democon")
    own = ConferenceSession(
        conference_id=conference.id, guid="made-here-1", slug="our-own", title="Our own talk"
    )
    session.add(own)
    session.commit()

    report = _import(
        session, _democon_with(lambda document: document["days"][2]["rooms"]["Tan Room"].pop())
    )

    assert report.sessions.removed == 1
    assert report.notes == ["1 session made here and not in the schedule was kept"]
    guids = {row.guid for row in programme.sessions_of(session, conference)}
    assert len(guids) == 36 and "made-here-1" in guids


def test_a_schedule_that_lists_no_sessions_removes_nothing(session):
    _import(session, democon_bytes())

    def empty(document):
        for day in document["days"]:
            day["rooms"] = {}

    report = _import(session, _democon_with(empty))

    assert report.sessions.removed == 0
    assert report.notes == ["the schedule lists no sessions; no session was removed"]
    assert _count(session, ConferenceSession) == 36


def test_importing_the_schedule_xml_gives_the_same_programme(session):
    as_xml = schedule_xml(read_schedule(democon_bytes()))

    report = _import(session, as_xml)

    assert (report.conference, report.sessions.created) == ("created", 36)
    assert _count(session, Speaker) == 27  # the XML names people without codes: by name


def test_a_draft_import_publishes_neither_event_nor_agenda(session):
    report = _import(session, encoded(tiny_schedule()), draft=True)

    conference = programme.conference_by_acronym(session, "tinycon")
    event = programme.event_of(session, conference)
    assert not report.published
    assert event.status == EventStatus.DRAFT and conference.agenda_published_at is None


def test_a_conference_spans_the_schedule_days_in_its_zone(session):
    _import(session, encoded(tiny_schedule()))

    event = programme.event_of(session, programme.conference_by_acronym(session, "tinycon"))
    assert event.timezone == "Europe/Berlin"
    assert event.starts_at.isoformat() == "2030-06-03T07:00:00+00:00"  # the first session
    assert event.ends_at.isoformat() == "2030-06-03T08:00:00+00:00"  # the last one's end
    track = session.exec(select(Track)).one()
    assert (track.name, track.slug, track.color) == ("Platforms", "platforms", "#1f6feb")


def test_a_session_after_midnight_of_the_last_day_stays_on_the_programme(session):
    document = tiny_schedule()
    late = session_document(
        "aaaaaaaa-0000-4000-8000-000000000009", "Late night hacking", "2030-06-04T01:00:00+02:00"
    )
    document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"].append(late)

    _import(session, encoded(document))

    event = programme.event_of(session, programme.conference_by_acronym(session, "tinycon"))
    assert event.ends_at.isoformat() == "2030-06-03T23:30:00+00:00"
    assert len(programme.conference_days(event)) == 2
