"""An organiser publishes an event; three people RSVP in Chromium; the waitlist moves up.
A member reads an event page at a laptop's and a phone's width, registers and confirms from
the email; a cancelled event's page offers nothing to register for."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from community.events.registrations import Person, register
from community.models import EventStatus
from tests.browser.screens import SCREENSHOTS as ALL_SCREENSHOTS
from tests.browser.screens import WIDTHS, Screens, log_in_as_organiser, new_page
from tests.helpers import deliver_outbox
from tests.mail_server import plain_text

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "events"
PEOPLE = [
    ("Ada Lovelace", "ada@example.org"),
    ("Grace Hopper", "grace@example.org"),
    ("Linus T", "linus@example.org"),
]


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


def _log_in(page, live_server, runner):
    log_in_as_organiser(page, live_server, runner)


def _create_event(page, live_server, screens, starts: datetime) -> str:
    page.goto(f"{live_server}/admin/events/")
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Feature Store Workshop")
    page.get_by_label("Description (Markdown)").fill("Build a **feature store** pipeline together.")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Format", exact=True).select_option("hybrid")
    page.get_by_label("Venue").fill("Riverside Tech Hub")
    page.get_by_label("Online join link").fill("https://meet.example.org/feature-store")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_label("Capacity").fill("2")
    screens.shoot("organiser-new-event-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/admin/events/\d+$"))
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r".*/admin/events/\d+$"))
    assert page.locator("#event-status").inner_text() == "published"
    screens.shoot("organiser-event-published")
    return page.url.rsplit("/", 1)[-1]


def _rsvp(page, live_server, event_id: str, name: str, email: str, app, mail_server) -> str:
    """RSVPs on the event page, then confirms through the link the email brings."""
    page.goto(f"{live_server}/events/{event_id}")
    form = page.locator("#rsvp-form")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/check-your-inbox.*"))
    assert "/events/registration/" not in page.content()  # only the email holds the link
    deliver_outbox(app)
    link = re.search(r"(http://\S+/events/registration/\S+)", plain_text(mail_server.to(email)[0]))
    page.goto(link.group(1))
    confirm = page.get_by_role("button", name=re.compile("^Confirm my"))
    confirm.click()
    expect(confirm).to_have_count(0)  # the confirmed page has taken the held one's place
    return page.locator("#registration-status").inner_text()


def test_capacity_two_three_rsvps_a_cancellation_promotes_the_waitlisted_person(
    app, runner, live_server, browser, mail_server
):
    app.extensions["settings"].PUBLIC_URL = live_server  # links in emails point at this server
    organiser = browser.new_context().new_page()
    screens = Screens(organiser, SCREENSHOTS)
    _log_in(organiser, live_server, runner)
    # 18:30 ten days on: a London wall-clock time that exists, once, even on the days the
    # clocks change (at 01:00 and 02:00), whatever the time of day now.
    starts = (datetime.now(ZoneInfo("Europe/London")) + timedelta(days=10)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    event_id = _create_event(organiser, live_server, screens, starts)

    visitor = browser.new_context().new_page()
    visitor_screens = Screens(visitor, SCREENSHOTS / "visitor")
    statuses = []
    for name, email in PEOPLE:
        statuses.append(_rsvp(visitor, live_server, event_id, name, email, app, mail_server))
        visitor_screens.shoot(f"rsvp-{email.split('@')[0]}")
    assert "registered" in statuses[0] and "registered" in statuses[1]
    assert "on the waitlist" in statuses[2]

    deliver_outbox(app)  # mail leaves after the response; wait for it as a reader would
    cancel_link = re.search(
        r"(http://\S+/events/registration/\S+)", plain_text(mail_server.to("ada@example.org")[0])
    )
    visitor.goto(cancel_link.group(1))
    visitor.get_by_role("button", name="Cancel my place").click()
    expect(visitor.locator("#registration-status")).to_contain_text("cancelled")
    visitor_screens.shoot("ada-cancelled")
    deliver_outbox(app)
    assert mail_server.to("linus@example.org")[-1]["Subject"].startswith("You have a place")

    visitor.goto(f"{live_server}/events/{event_id}")
    visitor_screens.shoot("public-event-page")
    assert visitor.locator("#event-count").inner_text() == "Full"
    assert "feature-store" not in visitor.content()  # the join link is for attendees only

    organiser.goto(f"{live_server}/admin/events/{event_id}")
    screens.shoot("organiser-attendees")
    attendees = organiser.locator("#attendees").inner_text()
    assert "Grace Hopper" in attendees and "Linus T" in attendees and "Ada" not in attendees
    assert "Nobody is waiting" in organiser.locator("#waitlist").inner_text()

    calendar = Calendar.from_ical(
        visitor.request.get(f"{live_server}/events/{event_id}.ics").body()
    )
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Feature Store Workshop"
    assert vevent.decoded("DTSTART") == starts
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"


def test_the_event_form_shows_errors_in_the_browser(app, runner, live_server, page):
    _log_in(page, live_server, runner)
    page.goto(f"{live_server}/admin/events/new")
    page.get_by_label("Title").fill("Broken")
    page.get_by_label("Starts").fill("2030-05-01T18:00")
    page.get_by_label("Ends").fill("2030-05-01T17:00")
    page.get_by_label("Time zone").fill("Nowhere/Special")
    page.get_by_label("Capacity").fill("-1")
    page.get_by_role("button", name="Save").click()

    Screens(page, SCREENSHOTS / "errors").shoot("event-form-errors")
    assert page.get_by_text("The end must be after the start.").is_visible()
    assert page.get_by_text("is not a known time zone").is_visible()
    assert page.get_by_text("Capacity cannot be negative.").is_visible()


def _registration_link(message) -> str:
    link = re.search(r"(http://\S+/events/registration/\S+)", plain_text(message))
    assert link, "the email has no registration link"
    return link.group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_reads_an_event_page_registers_and_confirms_from_the_email(
    app, live_server, browser, make_event, session, mail_server, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    event = make_event(
        title="Feature Store Workshop: from notebooks to production pipelines",
        capacity=10,
        format="hybrid",
        host="MLOps Community Berlin",
        venue="Riverside Tech Hub",
        address="Uferstraße 12, 10115 Berlin",
        join_url="https://meet.example.org/feature-store",
    )
    for number in range(4):
        person = Person(name=f"Person {number}", email=f"person{number}@example.org")
        register(session=session, event_id=event.id, person=person)
    session.commit()
    page = new_page(browser, width)
    screens = Screens(page, ALL_SCREENSHOTS / "event-pages" / f"{width}px" / "register")

    page.goto(f"{live_server}/events/{event.id}")
    assert page.locator("#event-count").inner_text() == "4 going · 6 places left"
    assert page.locator("#event-host").inner_text() == "MLOps Community Berlin"
    assert page.locator("#reader-time").inner_text().startswith("Your time:")
    google = page.get_by_role("link", name="Google Calendar").get_attribute("href")
    outlook = page.get_by_role("link", name="Outlook").get_attribute("href")
    assert google.startswith("https://calendar.google.com/") and "dates=" in google
    assert outlook.startswith("https://outlook.live.com/") and "startdt=" in outlook
    assert "feature-store" not in page.content()  # the join link is for people with a place
    screens.shoot("event-page")

    form = page.locator("#rsvp-form")
    form.get_by_label("Your name").fill("Ada Lovelace")
    form.get_by_label("Email").fill("ada@example.org")
    form.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/check-your-inbox.*"))
    screens.shoot("check-your-inbox")

    deliver_outbox(app)
    page.goto(_registration_link(mail_server.to("ada@example.org")[-1]))
    screens.shoot("confirm-your-place")
    page.get_by_role("button", name="Confirm my place").click()
    expect(page.locator("#registration-status")).to_contain_text("registered")
    assert page.locator("#join-link").inner_text() == "https://meet.example.org/feature-store"
    cancel = page.get_by_role("button", name="Cancel my place")
    assert cancel.get_attribute("class") == "button-danger"
    screens.shoot("registration-page")

    deliver_outbox(app)
    welcome = mail_server.to("ada@example.org")[-1]
    assert welcome["Subject"].startswith("You are registered")
    page.set_content(welcome.get_body(("html",)).get_content())
    screens.shoot("confirmation-email")
    page.get_by_role("link", name="Cancel your place").click()
    page.wait_for_url(re.compile(r".*/events/registration/.*"))
    assert "registered" in page.locator("#registration-status").inner_text()

    page.goto(f"{live_server}/events/{event.id}")
    assert page.locator("#event-count").inner_text() == "5 going · 5 places left"
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_cancelled_event_page_offers_nothing_to_register_for(
    live_server, browser, make_event, session, width
):
    event = make_event(title="Model Monitoring Meetup", host="MLOps Community Berlin")
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "Our speaker fell ill. We will announce a new date soon."
    session.commit()
    page = new_page(browser, width)
    screens = Screens(page, ALL_SCREENSHOTS / "event-pages" / f"{width}px" / "cancelled")

    page.goto(f"{live_server}/events/{event.id}")

    assert "This event was cancelled." in page.locator("#event-cancelled").inner_text()
    assert "Our speaker fell ill" in page.locator("#cancellation-reason").inner_text()
    for offer in ("#rsvp-form", "#add-to-calendar", "#registration-link-form"):
        assert page.locator(offer).count() == 0, offer
    screens.shoot("cancelled-event-page")

    page.goto(f"{live_server}/events")
    card = page.locator(".event-card", has_text="Model Monitoring Meetup")
    assert "Cancelled" in card.inner_text()
    screens.shoot("events-list-with-cancelled")
    page.context.close()
