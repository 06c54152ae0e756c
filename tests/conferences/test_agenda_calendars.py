"""The agenda in calendars: a session's .ics and the whole agenda's, with the same UID for a
session however often they are fetched, Berlin's TZID, and SEQUENCE from the programme's
version, so a moved session updates the calendar entry people already have."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from community.conferences.programme import touch_programme


@pytest.fixture
def programme(make_conference):
    return make_conference()


def _vevents(response) -> list:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.get_data()).walk("VEVENT"))


def test_the_whole_agenda_has_every_placed_session_in_berlin_time(client, programme):
    vevents = _vevents(client.get("/conferences/mlopscon/agenda.ics"))

    assert [str(vevent["SUMMARY"]) for vevent in vevents] == [
        "Opening keynote",
        "Feature stores in practice",
        "Evaluating LLM apps",
        "Lunch",
        "Platform teams panel",
    ]
    assert {vevent["DTSTART"].params["TZID"] for vevent in vevents} == {"Europe/Berlin"}
    keynote = vevents[0]
    assert keynote.decoded("DTSTART").strftime("%H:%M") == "09:00"
    assert str(keynote["LOCATION"]) == "Main Stage"
    assert str(keynote["URL"]) == "http://conf.test/conferences/mlopscon/sessions/opening-keynote"


def test_a_sessions_ics_keeps_its_uid_and_raises_its_sequence_when_it_moves(
    client, session, programme
):
    path = "/conferences/mlopscon/sessions/feature-stores-in-practice.ics"
    (before,) = _vevents(client.get(path))
    (in_the_agenda,) = [
        vevent
        for vevent in _vevents(client.get("/conferences/mlopscon/agenda.ics"))
        if str(vevent["SUMMARY"]) == "Feature stores in practice"
    ]

    talk = programme.sessions["Feature stores in practice"]
    talk.starts_at += timedelta(hours=2)
    touch_programme(programme.conference)
    session.add_all([talk, programme.conference])
    session.commit()
    (after,) = _vevents(client.get(path))

    guid = talk.guid
    assert str(before["UID"]) == str(in_the_agenda["UID"]) == str(after["UID"])
    assert guid in str(before["UID"])
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART").strftime("%H:%M") == "12:00"
    assert "stream.example.org" not in client.get(path).get_data(as_text=True)


def test_a_calendar_app_asking_again_gets_304_until_the_programme_changes(
    client, session, programme
):
    first = client.get("/conferences/mlopscon/agenda.ics")
    etag = first.headers["ETag"]
    again = client.get("/conferences/mlopscon/agenda.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""

    touch_programme(programme.conference)
    session.add(programme.conference)
    session.commit()
    changed = client.get("/conferences/mlopscon/agenda.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
