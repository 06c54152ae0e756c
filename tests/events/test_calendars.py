"""Calendars out (.ics per event, /events.ics feed) and in (`flask events import`)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlmodel import select

from community.events.calendar import CALENDAR_DAYS_AHEAD, CALENDAR_DAYS_BEHIND
from community.events.jobs import import_configured_calendars
from community.events.registrations import Person, register
from community.events.services import input_from_event, update_event
from community.models import Event, EventStatus
from community.models.types import utcnow
from tests.local_http import FeedServer

MEETUP_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example Meetups//EN
BEGIN:VEVENT
UID:meetup-42@meetups.example.org
DTSTAMP:20261101T120000Z
DTSTART;TZID=Europe/Paris:{start}
DTEND;TZID=Europe/Paris:{end}
SUMMARY:Paris MLOps Night: LLM evaluation
DESCRIPTION:Three talks on evaluating LLM applications.
LOCATION:Station F, Paris
CATEGORIES:LLM,Evaluation
STATUS:{status}
END:VEVENT
END:VCALENDAR
"""


def _ics(start="20301203T190000", end="20301203T210000", status="CONFIRMED") -> bytes:
    return MEETUP_ICS.format(start=start, end=end, status=status).replace("\n", "\r\n").encode()


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def _vevents(calendar: Calendar) -> list:
    return [component for component in calendar.walk("VEVENT")]


def test_an_events_ics_keeps_its_uid_and_local_time_zone(client, make_event):
    # Tuesday 10 November 2026, so the event two days ahead is Thursday noon in Berlin: a start
    # in the hour Berlin's clocks repeat in October is written in UTC, with no TZID.
    with time_machine.travel(datetime(2026, 11, 10, 11, 0, tzinfo=UTC), tick=True):
        event = make_event(title="Berlin meetup")

        (vevent,) = _vevents(_calendar(client.get(f"/events/{event.id}.ics")))

    assert str(vevent["UID"]) == event.uid
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["URL"]) == f"http://events.test/events/{event.id}"


def test_the_feed_lists_published_events_and_marks_cancellations(client, make_event, session):
    published = make_event(title="Published one")
    make_event(title="Draft one", status=EventStatus.DRAFT)
    cancelled = make_event(title="Cancelled one")
    cancelled.status = EventStatus.CANCELLED
    session.commit()

    calendar = _calendar(client.get("/events.ics"))

    by_uid = {str(vevent["UID"]): vevent for vevent in _vevents(calendar)}
    assert set(by_uid) == {published.uid, cancelled.uid}
    assert str(by_uid[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert any(component.name == "VTIMEZONE" for component in calendar.walk())
    assert _calendar(client.get("/events.ics")).to_ical().count(b"UID:") == 2  # stable on reload


def test_the_feed_holds_upcoming_and_recent_events_but_not_old_or_far_off_ones(client, make_event):
    now = utcnow().replace(microsecond=0)
    next_month = make_event(title="Next month", starts_at=now + timedelta(days=30))
    last_week = make_event(title="Last week", starts_at=now - timedelta(days=7))
    old = make_event(
        title="Last season", starts_at=now - timedelta(days=CALENDAR_DAYS_BEHIND, hours=3)
    )
    make_event(title="Far off", starts_at=now + timedelta(days=CALENDAR_DAYS_AHEAD + 1))

    calendar = _calendar(client.get("/events.ics"))

    assert {str(vevent["UID"]) for vevent in _vevents(calendar)} == {next_month.uid, last_week.uid}
    (vevent,) = _vevents(_calendar(client.get(f"/events/{old.id}.ics")))  # still on its page
    assert str(vevent["UID"]) == old.uid


def test_a_calendar_app_asking_again_gets_304_until_an_event_changes(client, make_event, session):
    event = make_event(title="Feature store night")
    first = client.get("/events.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    unchanged = client.get("/events.ics", headers={"If-None-Match": etag})
    by_date = client.get("/events.ics", headers={"If-Modified-Since": modified})

    assert (unchanged.status_code, unchanged.headers["ETag"]) == (304, etag)
    assert unchanged.get_data() == b""
    assert by_date.status_code == 304
    with time_machine.travel(utcnow() + timedelta(minutes=1), tick=True):
        data = input_from_event(event)
        data.title = "Feature store night, moved upstairs"
        update_event(session=session, event=event, data=data)
        session.commit()
        changed = client.get("/events.ics", headers={"If-None-Match": etag})
        changed_by_date = client.get("/events.ics", headers={"If-Modified-Since": modified})

    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "moved upstairs" in str(_vevents(_calendar(changed))[0]["SUMMARY"])
    assert changed_by_date.status_code == 200


def test_an_event_dropping_out_of_the_window_changes_the_feed(client, make_event):
    now = utcnow().replace(microsecond=0)
    make_event(title="Upcoming", starts_at=now + timedelta(days=3))
    ending = make_event(title="Ending soon", starts_at=now - timedelta(days=CALENDAR_DAYS_BEHIND))
    first = client.get("/events.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert ending.uid in first.get_data(as_text=True)

    with time_machine.travel(now + timedelta(hours=3), tick=True):
        later = client.get("/events.ics", headers={"If-None-Match": etag})
        later_by_date = client.get("/events.ics", headers={"If-Modified-Since": modified})

    assert later.status_code == 200 and ending.uid not in later.get_data(as_text=True)
    assert later_by_date.status_code == 200


def test_an_events_own_ics_answers_a_conditional_get(client, make_event):
    event = make_event(title="Berlin meetup")
    first = client.get(f"/events/{event.id}.ics")

    again = client.get(f"/events/{event.id}.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304


def _import(runner, location: str, *extra: str) -> dict:
    result = runner.invoke(args=["events", "import", location, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_importing_a_file_publishes_and_reimporting_updates_the_same_event(
    runner, tmp_path, session
):
    path = tmp_path / "meetups.ics"
    path.write_bytes(_ics())

    assert _import(runner, str(path))["created"] == 1
    path.write_bytes(_ics(start="20301203T193000", end="20301203T213000"))
    second = _import(runner, str(path))

    assert (second["created"], second["updated"]) == (0, 1)
    (event,) = session.exec(select(Event)).all()
    assert event.uid == "meetup-42@meetups.example.org"
    assert event.status == EventStatus.PUBLISHED
    assert event.timezone == "Europe/Paris"
    assert (
        event.starts_at.astimezone(event.starts_at.tzinfo)
        .isoformat()
        .startswith("2030-12-03T18:30")
    )
    assert event.venue == "Station F, Paris"
    assert event.tags == ["llm", "evaluation"]


def test_draft_imports_stay_off_the_public_pages(runner, tmp_path, session, client):
    path = tmp_path / "meetups.ics"
    path.write_bytes(_ics())

    _import(runner, str(path), "--draft")

    (event,) = session.exec(select(Event)).all()
    assert event.status == EventStatus.DRAFT
    assert client.get(f"/events/{event.id}").status_code == 404


def test_a_cancellation_in_the_feed_reaches_people_registered(
    make_app, tmp_path, session, mail_server
):
    app = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=True)
    runner = app.test_cli_runner()
    # Four weeks before the feed's event on 3 December 2030, so Ada can still register for it.
    weeks_before = time_machine.travel(datetime(2030, 11, 5, 10, 0, tzinfo=UTC), tick=True)
    with weeks_before, FeedServer() as server:
        server.serve("/calendar.ics", _ics(), headers={"Content-Type": "text/calendar"})
        _import(runner, server.url("/calendar.ics"))
        event = session.exec(select(Event)).one()
        register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
        session.commit()
        server.serve(
            "/calendar.ics", _ics(status="CANCELLED"), headers={"Content-Type": "text/calendar"}
        )
        _import(runner, server.url("/calendar.ics"))

    session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    assert mail_server.to("ada@example.org")[-1]["Subject"].startswith("Cancelled:")


@pytest.mark.parametrize(
    "content", [b"", b"<html><body>Not a calendar</body></html>", bytes(range(256))]
)
def test_something_that_is_not_a_calendar_is_refused_clearly(runner, tmp_path, session, content):
    path = tmp_path / "broken.ics"
    path.write_bytes(content)

    result = runner.invoke(args=["events", "import", str(path)])

    assert result.exit_code != 0
    assert "not a calendar we can read" in result.output
    assert session.exec(select(Event)).all() == []


def test_an_event_made_here_is_not_overwritten_by_an_import(runner, tmp_path, make_event, session):
    event = make_event(title="Our own event")
    path = tmp_path / "copy.ics"
    path.write_bytes(_ics().replace(b"meetup-42@meetups.example.org", event.uid.encode()))

    outcome = _import(runner, str(path))

    assert outcome["created"] == 0 and len(outcome["skipped"]) == 1
    session.refresh(event)
    assert event.title == "Our own event"


def test_a_missing_file_is_explained(runner):
    result = runner.invoke(args=["events", "import", "/nonexistent/calendar.ics"])

    assert result.exit_code != 0
    assert "could not read" in result.output


def test_the_hourly_job_imports_every_configured_feed_and_survives_a_broken_one(make_app, session):
    with FeedServer() as server:
        server.serve("/good.ics", _ics(), headers={"Content-Type": "text/calendar"})
        server.serve("/broken.ics", b"<html>gone</html>", headers={"Content-Type": "text/html"})
        app = make_app(
            FEEDS_ALLOW_PRIVATE_NETWORKS=True,
            EVENTS_IMPORT_URLS=f"{server.url('/broken.ics')} {server.url('/good.ics')}",
        )
        with app.app_context():
            import_configured_calendars()
            import_configured_calendars()

    (event,) = session.exec(select(Event)).all()
    assert event.title == "Paris MLOps Night: LLM evaluation"
    assert event.status == EventStatus.PUBLISHED


def _two_event_feed(*, second: bool = True) -> bytes:
    first = _ics().decode().split("END:VCALENDAR")[0]
    soon = utcnow() + timedelta(days=30)  # inside the year ahead that feeds are read for
    other = (
        "BEGIN:VEVENT\r\nUID:meetup-43@meetups.example.org\r\nDTSTAMP:20261101T120000Z\r\n"
        f"DTSTART:{soon:%Y%m%dT180000Z}\r\nDTEND:{soon:%Y%m%dT200000Z}\r\n"
        "SUMMARY:Second night\r\nEND:VEVENT\r\n"
    )
    return (first + (other if second else "") + "END:VCALENDAR\r\n").encode()


def test_an_event_removed_from_the_feed_is_cancelled_and_people_are_told(
    runner, tmp_path, session, mail_server
):
    path = tmp_path / "meetups.ics"
    path.write_bytes(_two_event_feed())
    assert _import(runner, str(path))["created"] == 2
    second = session.exec(select(Event).where(Event.uid == "meetup-43@meetups.example.org")).one()
    register(session=session, event_id=second.id, person=Person("Ada", "ada@example.org"))
    session.commit()

    path.write_bytes(_two_event_feed(second=False))
    outcome = _import(runner, str(path))

    assert outcome["cancelled"] == 1
    session.refresh(second)
    assert second.status == EventStatus.CANCELLED
    assert mail_server.to("ada@example.org")[-1]["Subject"] == "Cancelled: Second night"


def test_a_feed_that_comes_back_empty_cancels_nothing(runner, tmp_path, session):
    path = tmp_path / "meetups.ics"
    path.write_bytes(_two_event_feed())
    _import(runner, str(path))

    path.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nEND:VCALENDAR\r\n")
    outcome = _import(runner, str(path))

    assert outcome["cancelled"] == 0
    assert "lists no events" in " ".join(outcome["skipped"])
    statuses = {event.status for event in session.exec(select(Event)).all()}
    assert statuses == {EventStatus.PUBLISHED}
