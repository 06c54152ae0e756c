"""/conferences/<acronym>/schedule.json and schedule.xml: valid against the C3VOC schemas, and
the pretalx demo conference round-trips with every session at the same instant, in the same
room, with the same speakers."""

from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from community.conferences.schedule_import import import_schedule
from community.models import EventStatus
from community.models.types import utcnow
from integrations.schedules.reading import read_schedule
from tests.schedule_datasets import democon_bytes, json_schema_validator, xml_schema


def _import_democon(session, **options) -> None:
    import_schedule(session=session, schedule_data=read_schedule(democon_bytes()), **options)
    session.commit()


def _json_errors(document: dict) -> list[str]:
    return [
        f"{error.json_path}: {error.message}"
        for error in json_schema_validator().iter_errors(document)
    ]


def _xml_errors(body: bytes) -> list[str]:
    schema = xml_schema()
    schema.validate(etree.fromstring(body))
    return [str(error) for error in schema.error_log]


def _placement(schedule) -> dict[str, tuple]:
    """Each session's instant, room and speakers (in order), by guid."""
    return {
        item.guid: (item.date.timestamp(), item.room, [person.name for person in item.persons])
        for item in schedule.conference.sessions
    }


def test_the_demo_conference_round_trips_through_json_and_xml(client, session):
    _import_democon(session)
    original = read_schedule(democon_bytes())

    as_json = client.get("/conferences/democon/schedule.json")
    as_xml = client.get("/conferences/democon/schedule.xml")

    assert as_json.status_code == as_xml.status_code == 200
    assert as_json.content_type == "application/json"
    assert as_xml.content_type == "application/xml; charset=utf-8"
    assert _json_errors(as_json.get_json()) == []
    assert _xml_errors(as_xml.data) == []
    for body in (as_json.data, as_xml.data):
        exported = read_schedule(body)
        assert len(exported.conference.sessions) == 36
        assert _placement(exported) == _placement(original)


def test_the_export_carries_the_programme_in_the_conference_zone(client, session, make_conference):
    programme = make_conference()
    conference, event = programme.conference, programme.event
    unplaced = programme.sessions["Lunch"]
    unplaced.stage_id = None
    session.add(unplaced)
    session.commit()

    response = client.get("/conferences/mlopscon/schedule.json")

    document = response.get_json()
    assert _json_errors(document) == []
    assert _xml_errors(client.get("/conferences/mlopscon/schedule.xml").data) == []
    exported = document["schedule"]
    assert exported["version"] == str(conference.schedule_version)
    body = exported["conference"]
    assert (body["title"], body["time_zone_name"], body["daysCount"]) == (
        event.title,
        "Europe/Berlin",
        2,
    )
    assert [room["name"] for room in body["rooms"]] == ["Main Stage", "Stream B"]
    first_day = body["days"][0]["rooms"]
    assert list(first_day) == ["Main Stage", "Stream B"]
    keynote = first_day["Main Stage"][0]
    assert keynote["title"] == "Opening keynote"
    assert keynote["start"] == "09:00" and keynote["duration"] == "00:45"
    starts_at = programme.sessions["Opening keynote"].starts_at
    assert keynote["date"] == starts_at.astimezone(ZoneInfo("Europe/Berlin")).isoformat()
    slug = programme.sessions["Opening keynote"].slug
    assert keynote["url"] == f"http://conf.test/conferences/mlopscon/sessions/{slug}"
    assert keynote["persons"][0]["name"] == "Ada Lovelace"
    titles = [
        item["title"] for day in body["days"] for items in day["rooms"].values() for item in items
    ]
    assert "Lunch" not in titles and len(titles) == 4
    workshop = first_day["Stream B"][0]
    assert [person["name"] for person in workshop["persons"]] == ["Alan Turing", "Ada Lovelace"]
    assert "stream.example.org" not in response.get_data(as_text=True)  # join links stay private


def test_an_unchanged_schedule_answers_304(client, make_conference):
    make_conference()
    first = client.get("/conferences/mlopscon/schedule.xml")

    again = client.get(
        "/conferences/mlopscon/schedule.xml", headers={"If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304


@pytest.mark.parametrize("path", ["schedule.json", "schedule.xml"])
def test_no_schedule_for_an_unknown_or_draft_conference_or_unpublished_agenda(
    client, session, make_conference, path
):
    assert client.get(f"/conferences/nosuchcon/{path}").status_code == 404
    _import_democon(session, draft=True)
    assert client.get(f"/conferences/democon/{path}").status_code == 404
    programme = make_conference()
    programme.conference.agenda_published_at = None
    session.add(programme.conference)
    session.commit()
    assert client.get(f"/conferences/mlopscon/{path}").status_code == 404
    programme.conference.agenda_published_at = utcnow()
    programme.event.status = EventStatus.CANCELLED
    session.add_all([programme.conference, programme.event])
    session.commit()
    assert client.get(f"/conferences/mlopscon/{path}").status_code == 404


def test_a_session_whose_slug_the_schemas_refuse_is_exported_in_their_shape(
    client, session, make_conference
):
    programme = make_conference()
    lunch = programme.sessions["Lunch"]  # "lunch": too short for schedule.xml.xsd's slug

    document = client.get("/conferences/mlopscon/schedule.json").get_json()

    slugs = {
        item["title"]: item["slug"]
        for day in document["schedule"]["conference"]["days"]
        for items in day["rooms"].values()
        for item in items
    }
    assert slugs["Lunch"] == f"mlopscon-{lunch.id:03d}-lunch"
    assert len(set(slugs.values())) == len(slugs)


def test_importing_the_exported_schedule_back_changes_nothing(client, session):
    _import_democon(session)
    exported = client.get("/conferences/democon/schedule.json").data

    report = import_schedule(session=session, schedule_data=read_schedule(exported))

    assert not report.changed
    assert report.sessions.unchanged == 36 and report.speakers.unchanged == 27


def test_each_session_url_leads_to_its_page(client, session):
    _import_democon(session)
    document = client.get("/conferences/democon/schedule.json").get_json()
    gray = document["schedule"]["conference"]["days"][0]["rooms"]["Gray Room"][0]

    page = client.get(gray["url"].removeprefix("http://conf.test"))

    assert page.status_code == 200
    assert gray["title"] in page.get_data(as_text=True)
