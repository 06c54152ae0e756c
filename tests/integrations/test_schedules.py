"""Reading and writing the frab/pretalx schedule format, and refusing schedules that would
put a broken programme on the agenda, with the place of each problem named."""

import json
from datetime import UTC, datetime

import pytest

from integrations.schedules.model import ScheduleError
from integrations.schedules.reading import MAX_BYTES, read_schedule, sniff
from integrations.schedules.writing import schedule_json, schedule_xml
from tests.schedule_datasets import (
    democon_bytes,
    encoded,
    json_schema_validator,
    session_document,
    tiny_schedule,
    xml_schema,
)

GRAY_ROOM = "schedule.conference.days[1].rooms['Gray Room'][0]"


def _problems(data: bytes, **caps) -> list[str]:
    with pytest.raises(ScheduleError) as refusal:
        read_schedule(data, **caps)
    return refusal.value.problems


def _democon() -> dict:
    return json.loads(democon_bytes())


def _democon_day(document: dict, index: int) -> dict:
    return document["schedule"]["conference"]["days"][index]["rooms"]


def test_the_pretalx_demo_conference_reads_as_three_days_of_36_sessions():
    conference = read_schedule(democon_bytes()).conference

    assert (conference.acronym, conference.title, conference.time_zone) == (
        "democon",
        "DemoCon",
        "UTC",
    )
    assert [day.date.isoformat() for day in conference.days] == [
        "2020-12-14",
        "2020-12-15",
        "2020-12-16",
    ]
    assert [room.name for room in conference.rooms] == ["Gray Room", "Tan Room"]
    assert {track.name for track in conference.tracks} == {"Phased", "Horizontal"}
    sessions = conference.sessions
    assert len(sessions) == 36 and len({item.guid for item in sessions}) == 36
    first = sessions[0]
    assert first.title == "Focused 5thgeneration hardware"
    assert first.date == datetime(2020, 12, 14, 8, 0, tzinfo=UTC)
    assert (first.start, first.duration, first.duration_minutes) == ("09:00", "00:30", 30)
    assert [(person.name, person.code) for person in first.persons] == [
        ("Brian Robinson", "NQTF8Y")
    ]


def test_written_json_and_xml_are_valid_against_the_schemas_and_read_back_the_same():
    original = read_schedule(democon_bytes())

    as_json, as_xml = schedule_json(original), schedule_xml(original)

    assert list(json_schema_validator().iter_errors(json.loads(as_json))) == []
    schema = xml_schema()
    from lxml import etree

    assert schema.validate(etree.fromstring(as_xml)), schema.error_log
    assert read_schedule(as_json).conference == original.conference
    from_xml = read_schedule(as_xml).conference.sessions
    assert [
        (item.guid, item.date, item.room, [p.name for p in item.persons]) for item in from_xml
    ] == [
        (item.guid, item.date, item.room, [p.name for p in item.persons])
        for item in original.conference.sessions
    ]


def test_schedule_xml_is_read_with_its_rooms_tracks_speakers_and_recording_opt_out():
    xml = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <version>3</version>
  <conference>
    <acronym>tinycon</acronym><title>TinyCon</title>
    <start>2030-06-03</start><end>2030-06-03</end><days>1</days>
    <time_zone_name>Europe/Berlin</time_zone_name>
    <track name="Platforms" color="#1f6feb"/>
  </conference>
  <day index="1" date="2030-06-03" start="2030-06-03T06:00:00+02:00"
       end="2030-06-04T03:00:00+02:00">
    <room name="Main Hall" guid="11111111-1111-4111-8111-111111111111">
      <event guid="aaaaaaaa-0000-4000-8000-000000000001" id="7">
        <room>Main Hall</room><title>Opening</title><subtitle/><type>Talk</type>
        <date>2030-06-03T09:00:00+02:00</date><start>09:00</start><duration>00:45</duration>
        <abstract>Hello</abstract><slug>tinycon-7-opening</slug><track>Platforms</track>
        <persons><person guid="bbbbbbbb-0000-4000-8000-000000000001">Ada Lovelace</person>
        </persons>
        <recording><license/><optout>true</optout></recording>
        <links><link href="https://example.org/slides.pdf">Slides</link></links>
      </event>
    </room>
  </day>
</schedule>"""

    conference = read_schedule(xml).conference

    (item,) = conference.sessions
    assert conference.rooms[0].guid == "11111111-1111-4111-8111-111111111111"
    assert conference.tracks[0].color == "#1f6feb"
    assert (item.id, item.title, item.room, item.duration_minutes) == (
        7,
        "Opening",
        "Main Hall",
        45,
    )
    assert item.date.isoformat() == "2030-06-03T09:00:00+02:00"
    assert item.do_not_record is True
    assert item.persons[0].guid == "bbbbbbbb-0000-4000-8000-000000000001"
    assert item.links[0].url == "https://example.org/slides.pdf"


def test_a_duration_that_is_not_hh_mm_is_refused_naming_its_place():
    document = _democon()
    _democon_day(document, 1)["Gray Room"][0]["duration"] = 90

    assert _problems(encoded(document)) == [f"{GRAY_ROOM}.duration: expected HH:MM, got 90"]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("title", 12, "title: expected text, got 12"),
        ("persons", "Ada", 'persons: expected a list, got "Ada"'),
        ("do_not_record", "maybe", 'do_not_record: expected true or false, got "maybe"'),
        ("guid", "not-a-uuid", 'guid: expected a UUID, got "not-a-uuid"'),
        ("id", "seven", 'id: expected a whole number, got "seven"'),
        (
            "date",
            "tomorrow",
            'date: expected a date and time such as 2020-12-14T09:00:00+01:00, got "tomorrow"',
        ),
        ("title", "x" * 501, "title: is longer than 500 characters"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_its_place(field, value, problem):
    document = _democon()
    _democon_day(document, 1)["Gray Room"][0][field] = value

    assert _problems(encoded(document)) == [f"{GRAY_ROOM}.{problem}"]


@pytest.mark.parametrize("field", ["guid", "title", "date", "duration"])
def test_a_session_missing_a_required_field_is_refused(field):
    document = _democon()
    del _democon_day(document, 1)["Gray Room"][0][field]

    assert _problems(encoded(document)) == [f"{GRAY_ROOM}.{field}: is required"]


def test_a_conference_without_acronym_or_days_is_refused():
    document = tiny_schedule()
    del document["schedule"]["conference"]["acronym"]
    del document["schedule"]["conference"]["days"]

    assert _problems(encoded(document)) == [
        "schedule.conference.acronym: is required",
        "schedule.conference.days: is required",
    ]


def test_two_sessions_in_one_room_at_once_are_refused():
    document = tiny_schedule()
    second = document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"][1]
    second["date"] = "2030-06-03T09:15:00+02:00"

    (problem,) = _problems(encoded(document))

    assert problem == (
        "schedule.conference.days[0].rooms['Main Hall'][1]: 'Feature stores' "
        "(2030-06-03 09:15–09:45) overlaps 'Opening' (2030-06-03 09:00–09:30, "
        "schedule.conference.days[0].rooms['Main Hall'][0]) in Main Hall"
    )


def test_back_to_back_sessions_and_parallel_rooms_are_fine():
    document = tiny_schedule()
    rooms = document["schedule"]["conference"]["days"][0]["rooms"]
    rooms["Side Room"] = [
        session_document(
            "aaaaaaaa-0000-4000-8000-000000000003",
            "Parallel talk",
            "2030-06-03T09:00:00+02:00",
            room="Side Room",
        )
    ]

    conference = read_schedule(encoded(document)).conference

    assert [room.name for room in conference.rooms] == ["Main Hall", "Side Room"]
    assert len(conference.sessions) == 3


def test_an_unknown_time_zone_is_refused():
    document = tiny_schedule()
    document["schedule"]["conference"]["time_zone_name"] = "Mars/Olympus_Mons"

    assert _problems(encoded(document)) == [
        "schedule.conference.time_zone_name: 'Mars/Olympus_Mons' is not an IANA time zone; "
        "use a name such as Europe/Berlin or UTC"
    ]


def test_a_session_outside_its_day_is_refused():
    document = tiny_schedule()
    first = document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"][0]
    first["date"] = "2030-06-05T09:00:00+02:00"

    (problem,) = _problems(encoded(document))

    assert problem == (
        "schedule.conference.days[0].rooms['Main Hall'][0].date: 2030-06-05T09:00:00+02:00 "
        "is not within its day (2030-06-03T06:00:00+02:00 to 2030-06-04T03:00:00+02:00)"
    )


def test_one_guid_for_two_sessions_is_refused():
    document = tiny_schedule()
    sessions = document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"]
    sessions[1]["guid"] = sessions[0]["guid"]

    assert _problems(encoded(document)) == [
        "schedule.conference.days[0].rooms['Main Hall'][1].guid: "
        "aaaaaaaa-0000-4000-8000-000000000001 is already the guid of "
        "schedule.conference.days[0].rooms['Main Hall'][0]"
    ]


def test_a_10_mb_file_is_refused_before_it_is_parsed():
    padding = " " * (10 * 1000 * 1000)
    data = encoded(tiny_schedule())[:-1] + f', "padding": "{padding}"}}'.encode()

    (problem,) = _problems(data)

    assert problem == (
        f"the document: {len(data):,} bytes is more than the {MAX_BYTES:,} a schedule may be"
    )


def test_more_sessions_than_the_cap_are_refused():
    assert _problems(encoded(tiny_schedule()), max_sessions=1) == [
        "schedule.conference.days: 2 sessions is more than the 1 allowed"
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"Hello, this is not a schedule", "neither schedule JSON"),
        (b"", "neither schedule JSON"),
        (b"\x89PNG\r\n\x1a\n", "neither schedule JSON"),
        (b'{"schedule": {', "not valid JSON at line 1, column 15"),
        (b'{"schedule": "\xff\xfe"}', "not UTF-8 text"),
        (b"[" * 50_000 + b"]" * 50_000, "neither schedule JSON"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "nested too deeply"),
        (b"<html><body>Not here</body></html>", "expected a <schedule> element, got <html>"),
        (b"<schedule><day></schedule>", "not well-formed XML at line 1"),
        (b"{}", "schedule: is required"),
    ],
)
def test_something_that_is_not_a_schedule_is_refused_clearly(data, problem):
    (found,) = _problems(data)

    assert problem in found


def test_an_xml_entity_bomb_is_refused_without_expanding():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">'.encode()
            for level in range(8)
        )
        + b"]><schedule><version>&i;</version></schedule>"
    )

    assert _problems(bomb) == [
        "the document: XML with entity declarations or external references is refused "
        "(EntitiesForbidden)"
    ]


def test_an_xml_external_entity_cannot_read_a_file():
    attack = (
        b'<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<schedule><version>&secret;</version></schedule>"
    )

    (problem,) = _problems(attack)

    assert "refused" in problem and "root:" not in problem


def test_characters_no_database_can_hold_are_dropped():
    document = tiny_schedule()
    document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"][0]["title"] = "Op\x00ening"

    assert read_schedule(encoded(document)).conference.sessions[0].title == "Opening"


def test_times_without_an_offset_are_in_the_conference_time_zone():
    document = tiny_schedule()
    first = document["schedule"]["conference"]["days"][0]["rooms"]["Main Hall"][0]
    first["date"] = "2030-06-03T09:00:00"

    item = read_schedule(encoded(document)).conference.sessions[0]

    assert item.date.astimezone(UTC) == datetime(2030, 6, 3, 7, 0, tzinfo=UTC)


def test_the_format_is_told_by_its_first_character():
    assert sniff(b'\xef\xbb\xbf  {"schedule": {}}') == "json"
    assert sniff(b"\n<?xml version='1.0'?><schedule/>") == "xml"
    assert sniff(b"BEGIN:VCALENDAR") is None
