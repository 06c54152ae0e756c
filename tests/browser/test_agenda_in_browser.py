"""A visitor reads a conference's agenda at a laptop's and a phone's width: opens it from the
list, filters it by track, opens a session; a registered person opens "my agenda" from their
registration's page, stars a session and sees it listed. A reader in New York sees Berlin's
times and their own; while the conference runs, the agenda says what is on now and next."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from community.events.registrations import Person, register
from community.events.tokens import registration_token
from tests.browser.screens import HEIGHT, SCREENSHOTS, WIDTHS, Screens, new_page
from tests.conferences.conftest import BERLIN, berlin
from tests.conferences.conftest import make_conference as make_conference  # the fixture

pytestmark = pytest.mark.browser
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def programme(make_conference):
    return make_conference()


@pytest.fixture
def attendee_link(app, session, programme):
    """The registration page of a registered person, as their email links it."""
    registration = register(
        session=session,
        event_id=programme.event.id,
        person=Person(name="Bo Attendee", email="bo@example.org"),
    )
    session.commit()
    with app.app_context():
        return f"/events/registration/{registration_token(registration.id)}"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_visitor_filters_the_agenda_and_a_registered_person_stars_a_session(
    browser, live_server, programme, attendee_link, width
):
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "agenda" / f"{width}px")

    page.goto(f"{live_server}/conferences")
    screens.shoot("conferences")
    page.get_by_role("link", name="MLOps World Conference").click()
    page.wait_for_url(f"{live_server}/conferences/mlopscon")
    assert page.locator("#agenda-sessions > li").count() == 4
    screens.shoot("agenda-day-1")

    page.get_by_label("Track").select_option(label="LLMOps")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**track=llmops**")
    assert page.locator("#agenda-sessions h3").all_inner_texts() == ["Evaluating LLM apps"]
    screens.shoot("agenda-llmops")

    page.get_by_role("link", name="Evaluating LLM apps").click()
    expect(page.locator("h1")).to_have_text("Evaluating LLM apps")
    assert page.locator("#session-speakers").inner_text() == "Alan Turing, Ada Lovelace"
    assert page.locator("#session-ics").is_visible()
    assert "stream.example.org" not in page.content()
    screens.shoot("session")

    page.goto(f"{live_server}{attendee_link}")
    page.locator("#my-agenda-link").click()
    page.wait_for_url("**/conferences/mlopscon/my/**")
    assert page.locator("#nothing-starred").is_visible()
    assert page.locator("#join-links").inner_text().count("stream.example.org/b") == 1
    screens.shoot("my-agenda-empty")

    panel = page.locator("#session-platform-teams-panel")
    panel.get_by_role("button", name="Star Platform teams panel").click()
    page.wait_for_url("**#session-platform-teams-panel")
    starred = page.locator("#starred-sessions h3").all_inner_texts()
    assert starred == ["Platform teams panel"]
    assert panel.get_by_role("button").inner_text() == "★ Starred"
    screens.shoot("my-agenda-starred")

    page.goto(f"{live_server}/events/{programme.event.id}")
    page.locator("#agenda-link").scroll_into_view_if_needed()
    assert "Opening keynote" in page.locator("#programme-highlights").inner_text()
    screens.shoot("event-page-with-agenda")
    page.context.close()


def test_a_reader_in_new_york_sees_berlin_times_and_their_own(browser, live_server, programme):
    context = browser.new_context(
        viewport={"width": 390, "height": HEIGHT[390]},
        timezone_id="America/New_York",
        locale="en-GB",
    )
    page = context.new_page()
    screens = Screens(page, SCREENSHOTS / "agenda" / "new-york")

    page.goto(f"{live_server}/conferences/mlopscon")
    card = page.locator("#session-feature-stores-in-practice")
    start = programme.sessions["Feature stores in practice"].starts_at
    berlin_clock = card.locator(".agenda-when time").first.inner_text()
    reader_clock = card.locator("time[data-local-time]").inner_text()

    assert berlin_clock.startswith("10:00–10:30 ")
    assert reader_clock.startswith("Your time:")
    assert start.astimezone(NEW_YORK).strftime("%H:%M") in reader_clock  # 04:00 or 05:00
    screens.shoot("agenda-in-new-york")
    context.close()


def test_while_it_runs_the_agenda_says_what_is_on_now_and_next(browser, live_server, programme):
    first_day = programme.event.starts_at.astimezone(BERLIN)
    page = new_page(browser, 390)
    screens = Screens(page, SCREENSHOTS / "agenda" / "now-and-next")

    with time_machine.travel(berlin(first_day, 10, 15), tick=True):
        page.goto(f"{live_server}/conferences/mlopscon")
        board = page.locator("#now-and-next")
        main = board.locator(f"#now-{programme.stages['Main Stage'].guid}").inner_text()
        stream = board.locator(f"#now-{programme.stages['Stream B'].guid}").inner_text()
        screens.shoot("now-and-next")

    assert "Now: Feature stores in practice" in main and "Next: Lunch" in main
    assert "Now: Evaluating LLM apps" in stream
    assert page.locator("nav.agenda-days [aria-current=page]").inner_text().startswith("Day 1")
    page.context.close()


def test_after_the_first_day_the_second_is_shown(browser, live_server, programme):
    second_day = programme.event.starts_at.astimezone(BERLIN) + timedelta(days=1)
    page = new_page(browser, 1280)
    with time_machine.travel(berlin(second_day, 8, 0), tick=True):
        page.goto(f"{live_server}/conferences/mlopscon")
    assert page.locator("#agenda-sessions h3").all_inner_texts() == ["Platform teams panel"]
    assert page.locator("#now-and-next").count() == 1  # the panel is next on the main stage
    page.context.close()
