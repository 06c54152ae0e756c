"""A conference's sessions as iCalendar, from plain data: stable UIDs, the conference's TZID,
the programme's version as SEQUENCE, and what a calendar shows of each session."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from integrations.calendar.agenda import AgendaSlot, build_agenda_calendar, session_uid

BERLIN = ZoneInfo("Europe/Berlin")
KEYNOTE = AgendaSlot(
    guid="3f0c5b5e-8d7a-4c4a-9c55-2b2f1c9e0a11",
    title="Opening keynote",
    starts_at=datetime(2027, 3, 27, 9, 0, tzinfo=BERLIN),
    ends_at=datetime(2027, 3, 27, 9, 45, tzinfo=BERLIN),
    kind="keynote",
    stage="Main Stage",
    track="Platforms",
    speakers=("Ada Lovelace", "Grace Hopper"),
    abstract="What the keynote covers.",
    url="https://community.example.org/conferences/democon/sessions/opening-keynote",
    tags=("mlops", "platforms"),
)


def _vevents(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def _build(*slots: AgendaSlot, version: int = 1) -> bytes:
    return build_agenda_calendar(
        slots,
        name="DemoCon",
        timezone="Europe/Berlin",
        version=version,
        product_id="-//Test//Agenda//EN",
    )


def test_each_session_keeps_its_uid_and_the_version_is_its_sequence():
    first = _vevents(_build(KEYNOTE, version=3))[0]
    hour = timedelta(hours=1)
    moved = replace(KEYNOTE, starts_at=KEYNOTE.starts_at + hour, ends_at=KEYNOTE.ends_at + hour)
    again = _vevents(_build(moved, version=4))[0]

    assert str(first["UID"]) == str(again["UID"]) == session_uid(KEYNOTE.guid)
    assert first["SEQUENCE"] == 3 and again["SEQUENCE"] == 4


def test_times_are_written_in_the_conferences_zone_with_its_vtimezone():
    calendar = Calendar.from_ical(_build(KEYNOTE))
    (vevent,) = calendar.walk("VEVENT")

    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.decoded("DTSTART").replace(tzinfo=None) == datetime(2027, 3, 27, 9, 0)
    assert vevent.decoded("DTEND").astimezone(UTC) == datetime(2027, 3, 27, 8, 45, tzinfo=UTC)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"


def test_a_calendar_shows_stage_speakers_abstract_link_and_categories():
    (vevent,) = _vevents(_build(KEYNOTE))

    assert str(vevent["SUMMARY"]) == "Opening keynote"
    assert str(vevent["LOCATION"]) == "Main Stage"
    assert str(vevent["URL"]) == KEYNOTE.url
    description = str(vevent["DESCRIPTION"])
    assert description.startswith("With Ada Lovelace, Grace Hopper")
    assert "What the keynote covers." in description and KEYNOTE.url in description
    categories = [str(name) for name in vevent["CATEGORIES"].cats]
    assert categories == ["keynote", "Platforms", "mlops", "platforms"]


def test_a_whole_agenda_has_one_event_per_session():
    lunch = AgendaSlot(
        guid="lunch-1",
        title="Lunch",
        starts_at=datetime(2027, 3, 27, 12, 0, tzinfo=BERLIN),
        ends_at=datetime(2027, 3, 27, 13, 0, tzinfo=BERLIN),
        kind="break",
    )
    vevents = _vevents(_build(KEYNOTE, lunch))
    assert [str(vevent["SUMMARY"]) for vevent in vevents] == ["Opening keynote", "Lunch"]
    assert "LOCATION" not in vevents[1] and "DESCRIPTION" not in vevents[1]


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="not an IANA time zone"):
        build_agenda_calendar(
            [KEYNOTE], name="X", timezone="Mars/Olympus", version=1, product_id="-//T//EN"
        )
