"""The organisers' events list: the next event first, the numbers that matter, filters, and
pages that stay quick with thousands of events."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event as sqlalchemy_event

from community.db import get_engine
from community.events.registrations import Person, register
from community.models import Event, EventStatus, Registration, Source, SourceKind

TODAY = datetime(2026, 9, 15, 10, 0, tzinfo=UTC)
ROW = re.compile(
    r'<tr(?: class="past")?>\s*<td><a href="/admin/events/\d+">([^<]+)</a>(.*?)</tr>', re.S
)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(TODAY, tick=True):
        yield


def _titles(client, path: str = "/admin/events/") -> list[str]:
    return [title for title, _ in ROW.findall(client.get(path).get_data(as_text=True))]


def _cells(client, title: str) -> list[str]:
    for found, rest in ROW.findall(client.get("/admin/events/").get_data(as_text=True)):
        if found == title:
            return [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)
            ]
    raise AssertionError(f"{title} is not listed")


def test_the_next_event_comes_first_then_upcoming_ones_then_the_most_recent_past(
    organiser, make_event
):
    for days, title in (
        (30, "In a month"),
        (-2, "Two days ago"),
        (3, "In three days"),
        (-40, "Long ago"),
        (1, "Tomorrow"),
    ):
        make_event(title=title, starts_at=TODAY + timedelta(days=days))

    assert _titles(organiser) == [
        "Tomorrow",
        "In three days",
        "In a month",
        "Two days ago",
        "Long ago",
    ]


def test_each_row_shows_registrations_capacity_waitlist_status_and_source(
    organiser, session, make_event
):
    full = make_event(title="Full house", capacity=1, rsvp_needs_confirmation=False)
    for name in ("ada", "grace", "linus"):
        register(session=session, event_id=full.id, person=Person(name, f"{name}@example.org"))
    calendar = Source(
        kind=SourceKind.CALENDAR,
        name="calendar.ics",
        url="https://meetups.example.org/calendar.ics",
    )
    session.add(calendar)
    session.commit()
    _imported(session, make_event(title="From their calendar"), calendar)
    make_event(title="Unlimited draft", status=EventStatus.DRAFT)

    # Starts, registrations, capacity, waitlist, status, source
    assert _cells(organiser, "Full house")[1:] == ["1", "1", "2", "published", "manual"]
    assert _cells(organiser, "From their calendar")[-1] == (
        "imported from meetups.example.org/calendar.ics"
    )
    assert _cells(organiser, "Unlimited draft")[1:5] == ["0", "no limit", "0", "draft"]
    header = organiser.get("/admin/events/").get_data(as_text=True)
    assert (
        "<th>Registrations</th><th>Capacity</th><th>Waitlist</th><th>Status</th><th>Source</th>"
        in header
    )
    assert '<div class="table-scroll">' in header


def test_filters_show_upcoming_past_drafts_and_imported_and_mark_the_current_one(
    organiser, session, make_event
):
    calendar = Source(kind=SourceKind.CALENDAR, name="team.ics", url="file:///srv/team.ics")
    session.add(calendar)
    session.commit()
    make_event(title="Coming up")
    make_event(title="Already over", starts_at=TODAY - timedelta(days=3))
    make_event(title="Still a draft", status=EventStatus.DRAFT)
    _imported(session, make_event(title="Imported one"), calendar)

    upcoming = _titles(organiser, "/admin/events/?show=upcoming")
    assert sorted(upcoming) == ["Coming up", "Imported one", "Still a draft"]
    assert _titles(organiser, "/admin/events/?show=past") == ["Already over"]
    assert _titles(organiser, "/admin/events/?show=drafts") == ["Still a draft"]
    assert _titles(organiser, "/admin/events/?show=imported") == ["Imported one"]
    assert len(_titles(organiser, "/admin/events/?show=nonsense")) == 4  # all, as without one
    page = organiser.get("/admin/events/?show=drafts").get_data(as_text=True)
    assert 'id="show-drafts" aria-current="page"' in page
    assert 'id="show-all" aria-current' not in page
    assert "imported from the file team.ics" in organiser.get(
        "/admin/events/?show=imported"
    ).get_data(True)


def _imported(session, event: Event, source: Source) -> None:
    event.source_id = source.id
    session.add(event)
    session.commit()


def _many_events(session, count: int) -> None:
    start = TODAY + timedelta(days=1)
    session.add_all(
        Event(
            uid=f"bulk-{number}@test",
            slug=f"meetup-{number}",
            title=f"Meetup {number:04d}",
            starts_at=start + timedelta(hours=number),
            ends_at=start + timedelta(hours=number, minutes=90),
            timezone="UTC",
            capacity=50,
            status=EventStatus.PUBLISHED,
        )
        for number in range(count)
    )
    session.commit()


def test_three_thousand_upcoming_events_list_in_pages_without_a_query_per_row(
    app, organiser, session
):
    _many_events(session, 3000)
    first_ids = [
        event_id
        for event_id in session.exec(
            Event.__table__.select()
            .with_only_columns(Event.id)
            .order_by(Event.starts_at)
            .limit(100)
        ).scalars()
    ]
    session.add_all(
        Registration(
            event_id=event_id, name=f"P{number}", email=f"p{number}-{event_id}@example.org"
        )
        for event_id in first_ids
        for number in range(3)
    )
    session.commit()
    statements = []
    engine = get_engine(app)

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sqlalchemy_event.listen(engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        page = organiser.get("/admin/events/?show=upcoming")
        elapsed = time.perf_counter() - started
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", count)

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    rows = ROW.findall(text)
    assert len(rows) == 100
    assert rows[0][0] == "Meetup 0000"
    assert '<a rel="next" href="/admin/events/?page=2&amp;show=upcoming">' in text
    event_reads = [s for s in statements if "registration" in s.lower() or "FROM event" in s]
    assert len(event_reads) <= 3, event_reads  # the page of events and one count for all of it
    assert elapsed < 5
    assert _cells(organiser, "Meetup 0000")[1:4] == ["3", "50", "0"]
