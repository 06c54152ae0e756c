"""Imported calendars keep meeting links private and their events' own pages, and the same
calendar read from a file first and from its URL later updates the same events."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import select

from community.events.registrations import Person, register
from community.models import Event, EventFormat, Source
from tests.local_http import FeedServer
from tests.mail_server import plain_text

# Four weeks before the calendar's events in December 2030.
BEFORE = datetime(2030, 11, 5, 10, 0, tzinfo=UTC)
ZOOM = "https://us02web.zoom.us/j/8812345678?pwd=s3cr3tPass"
MEET = "https://meet.google.com/abc-defg-hij"


def _vevent(uid: str, title: str, *, day: int = 3, location: str = "", url: str = "") -> str:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20301101T120000Z",
        f"DTSTART;TZID=Europe/Paris:203012{day:02d}T190000",
        f"DTEND;TZID=Europe/Paris:203012{day:02d}T210000",
        f"SUMMARY:{title}",
    ]
    lines += [f"LOCATION:{location}"] if location else []
    lines += [f"URL:{url}"] if url else []
    return "\r\n".join([*lines, "END:VEVENT"]) + "\r\n"


def _calendar(*vevents: str) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Meetups//EN\r\n"
    return (head + "".join(vevents) + "END:VCALENDAR\r\n").encode()


MIXED = _calendar(
    _vevent(
        "zoom@meetups.example.org",
        "On Zoom",
        location=ZOOM,
        url="https://meetups.example.org/events/zoom",
    ),
    _vevent("hybrid@meetups.example.org", "At Station F", location="Station F, Paris", url=MEET),
    _vevent(
        "teams@meetups.example.org",
        "On Teams",
        location="Online: https://teams.microsoft.com/l/meetup-join/19%3ameeting_x",
    ),
    _vevent("own@meetups.example.org", "Own video", location="https://video.example.net/room-7"),
    _vevent("map@meetups.example.org", "By the map", location="https://maps.app.goo.gl/Xy12AbCd"),
)


@pytest.fixture
def importer(make_app):
    app = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=True)  # the calendars are served on 127.0.0.1
    with time_machine.travel(BEFORE, tick=True), FeedServer() as server:
        yield app, server


def _import(app, location: str) -> dict:
    result = app.test_cli_runner().invoke(args=["events", "import", location, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _event(session, uid: str) -> Event:
    session.expire_all()
    return session.exec(select(Event).where(Event.uid == uid)).one()


def test_meeting_links_become_private_join_links_and_url_the_events_own_page(importer, session):
    app, server = importer
    server.serve("/meetups.ics", MIXED, headers={"Content-Type": "text/calendar"})

    assert _import(app, server.url("/meetups.ics"))["created"] == 5

    zoom = _event(session, "zoom@meetups.example.org")
    assert (zoom.format, zoom.venue, zoom.join_url) == (EventFormat.ONLINE, None, ZOOM)
    assert zoom.external_url == "https://meetups.example.org/events/zoom"
    hybrid = _event(session, "hybrid@meetups.example.org")
    assert (hybrid.format, hybrid.venue, hybrid.join_url) == (
        EventFormat.HYBRID,
        "Station F, Paris",
        MEET,
    )
    assert hybrid.external_url is None  # a meeting link is never published as the web page
    teams = _event(session, "teams@meetups.example.org")
    assert (teams.format, teams.venue) == (EventFormat.ONLINE, None)
    assert teams.join_url == "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x"
    own = _event(session, "own@meetups.example.org")
    assert (own.format, own.join_url) == (EventFormat.ONLINE, "https://video.example.net/room-7")
    by_map = _event(session, "map@meetups.example.org")
    assert (by_map.format, by_map.join_url) == (EventFormat.IN_PERSON, None)


def test_an_imported_join_link_stays_off_the_public_pages_and_feed(importer, session):
    app, server = importer
    server.serve("/meetups.ics", MIXED, headers={"Content-Type": "text/calendar"})
    _import(app, server.url("/meetups.ics"))
    zoom = _event(session, "zoom@meetups.example.org")
    visitor = app.test_client()

    page = visitor.get(f"/events/{zoom.id}").get_data(as_text=True)
    listing = visitor.get("/events").get_data(as_text=True)
    feed = visitor.get("/events.ics").get_data(as_text=True)

    assert "On Zoom" in page and "On Zoom" in listing
    for public in (page, listing, feed):
        assert "s3cr3tPass" not in public
        assert "meet.google.com" not in public


def test_a_calendar_first_imported_from_a_file_then_from_its_url_updates_the_same_events(
    importer, session, tmp_path, mail_server
):
    app, server = importer
    path = tmp_path / "meetups.ics"
    path.write_bytes(_calendar(_vevent("night@meetups.example.org", "Night", location=ZOOM)))
    assert _import(app, str(path))["created"] == 1
    night = _event(session, "night@meetups.example.org")
    register(session=session, event_id=night.id, person=Person("Ada", "ada@example.org"))
    session.commit()
    moved = _calendar(_vevent("night@meetups.example.org", "Night", day=4, location=MEET))
    server.serve("/meetups.ics", moved, headers={"Content-Type": "text/calendar"})

    outcome = _import(app, server.url("/meetups.ics"))

    assert (outcome["created"], outcome["updated"], outcome["skipped"]) == (0, 1, [])
    session.expire_all()
    (event,) = session.exec(select(Event)).all()
    assert event.join_url == MEET
    assert session.get(Source, event.source_id).url == server.url("/meetups.ics")
    told = plain_text(mail_server.to("ada@example.org")[-1])
    assert "When: Tue 3 Dec 2030, 19:00–21:00 CET (Europe/Paris) → Wed 4 Dec 2030" in told
    assert f"Join link: {ZOOM} → {MEET}" in told
    assert _import(app, server.url("/meetups.ics"))["unchanged"] == 1
