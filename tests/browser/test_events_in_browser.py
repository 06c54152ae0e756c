"""An organiser publishes an event; three people RSVP in Chromium; the waitlist moves up."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.browser.screens import Screens, log_in_as_organiser
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
    page.get_by_role("button", name=re.compile("^Confirm my")).click()
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
    assert "cancelled" in visitor.locator("#registration-status").inner_text()
    visitor_screens.shoot("ada-cancelled")
    deliver_outbox(app)
    assert mail_server.to("linus@example.org")[-1]["Subject"].startswith("You have a place")

    visitor.goto(f"{live_server}/events/{event_id}")
    visitor_screens.shoot("public-event-page")
    assert visitor.locator("#event-places").inner_text() == "2 of 2 taken"
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
