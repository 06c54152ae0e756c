"""Long event lists come a page at a time, and following the pages reaches every event."""

import html
import re
from datetime import timedelta

from sqlalchemy.event import listen, remove

from community.db import get_engine
from community.events.admin_views import ADMIN_PAGE_SIZE
from community.events.queries import PAGE_SIZE
from community.events.registrations import Person, register
from community.events.services import EventInput, create_event
from community.models import EventStatus, Registration
from community.models.types import utcnow
from tests.helpers import add_organiser, log_in

NEXT_LINK = re.compile(r'<a rel="next" href="([^"]+)"')
TITLE = re.compile(r"Meetup \d{3}(?: tagged)?")


def _events(session, count: int, *, step: timedelta, status=EventStatus.PUBLISHED, tag=None):
    start = utcnow().replace(microsecond=0) + (timedelta(days=1) if step > timedelta() else step)
    for number in range(count):
        starts_at = start + step * number
        title = f"Meetup {number:03d}" + (" tagged" if tag else "")
        data = EventInput(
            title=title,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            timezone="UTC",
            status=status,
            tags=[tag] if tag else [],
        )
        create_event(session=session, data=data)
    session.commit()


def _pages(client, path: str) -> list[list[str]]:
    """The event titles on each page, following the "next" links from the first page."""
    pages = []
    while path:
        page = client.get(path)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        pages.append(TITLE.findall(text))
        found = NEXT_LINK.search(text)
        path = html.unescape(found.group(1)) if found else None
    return pages


def test_upcoming_events_come_a_page_at_a_time_soonest_first(client, session):
    _events(session, PAGE_SIZE + 1, step=timedelta(hours=5))

    first, last = _pages(client, "/events")

    assert first == [f"Meetup {number:03d}" for number in range(PAGE_SIZE)]
    assert last == [f"Meetup {PAGE_SIZE:03d}"]
    assert 'rel="prev" href="/events"' in client.get("/events?page=2").get_data(as_text=True)


def test_a_filter_is_kept_from_page_to_page(client, session):
    _events(session, PAGE_SIZE + 1, step=timedelta(hours=5), tag="llm")
    _events(session, 3, step=timedelta(hours=7))

    pages = _pages(client, "/events?tag=llm")

    titles = [title for page in pages for title in page]
    assert len(pages) == 2 and len(titles) == PAGE_SIZE + 1
    assert all(title.endswith("tagged") for title in titles)


def test_past_events_reach_back_to_the_oldest(client, session):
    _events(session, PAGE_SIZE + 1, step=-timedelta(days=1))

    pages = _pages(client, "/events/past")

    assert pages[0][0] == "Meetup 000"  # the most recent
    assert pages[-1] == [f"Meetup {PAGE_SIZE:03d}"]


def test_organisers_reach_every_event_drafts_included(client, session):
    add_organiser(session)
    log_in(client)
    _events(session, ADMIN_PAGE_SIZE + 1, step=-timedelta(hours=6), status=EventStatus.DRAFT)

    pages = _pages(client, "/admin/events/")

    assert [len(page) for page in pages] == [ADMIN_PAGE_SIZE, 1]
    assert pages[-1] == [f"Meetup {ADMIN_PAGE_SIZE:03d}"]  # the earliest start comes last


def _register(session, event_id: int, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        person = Person(name=f"Person {number}", email=f"p{number}@example.org")
        register(session=session, event_id=event_id, person=person)
    session.commit()


def _card(page: str, title: str) -> str:
    """The list item of the event with this title."""
    match = re.search(
        rf"<li class=\"card event-card[^\"]*\">(?:(?!</li>).)*{title}.*?</li>", page, re.S
    )
    assert match, f"no card for {title}"
    return match.group(0)


def test_each_listed_event_says_how_many_are_going_and_what_is_left(client, session, make_event):
    roomy = make_event(title="Roomy night", capacity=40)
    full = make_event(title="Full night", capacity=2)
    _register(session, roomy.id, 34)
    _register(session, full.id, 5, start=100)

    page = client.get("/events").get_data(as_text=True)

    assert "34 going · 6 places left" in _card(page, "Roomy night")
    assert "Full · 3 on the waitlist" in _card(page, "Full night")


def test_cancelled_events_stay_listed_marked_cancelled(client, session, make_event):
    upcoming = make_event(title="Called off", capacity=10)
    past = make_event(
        title="Called off too",
        starts_at=utcnow().replace(microsecond=0) - timedelta(days=3),
    )
    for event in (upcoming, past):
        event.status = EventStatus.CANCELLED
    session.commit()

    listed = _card(client.get("/events").get_data(as_text=True), "Called off")
    archived = _card(client.get("/events/past").get_data(as_text=True), "Called off too")

    for card in (listed, archived):
        assert "event-cancelled" in card and "Cancelled" in card
        assert "going" not in card


def test_counting_costs_the_list_one_query_however_many_events_it_shows(
    client, session, make_event
):
    statements = []

    def count(*_):
        statements.append(1)

    def queries_for_list() -> int:
        statements.clear()
        listen(get_engine(client.application), "before_cursor_execute", count)
        try:
            assert client.get("/events").status_code == 200
        finally:
            remove(get_engine(client.application), "before_cursor_execute", count)
        return len(statements)

    for number in range(3):
        _register(session, make_event(title=f"Few {number}", capacity=5).id, 1, start=number * 10)
    few = queries_for_list()
    for number in range(30):
        event = make_event(title=f"Many {number}", capacity=5)
        _register(session, event.id, 1, start=1000 + number * 10)
    many = queries_for_list()

    assert many == few


def test_past_events_say_how_many_went(client, session, make_event):
    starts = utcnow().replace(microsecond=0) - timedelta(days=2)
    event = make_event(title="November night", capacity=40, starts_at=starts)
    for number in range(3):
        session.add(Registration(event_id=event.id, name=f"P{number}", email=f"p{number}@x.org"))
    session.commit()

    card = _card(client.get("/events/past").get_data(as_text=True), "November night")

    assert "3 went" in card and "left" not in card
