"""An organiser creates an event with a host, duplicates it, filters the list, moves one
through the change confirmation and cancels the other with a reason, at 1280 and 390 px."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from community.events.registrations import Person, register
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page
from tests.helpers import deliver_outbox
from tests.mail_server import plain_text

pytestmark = pytest.mark.browser
BERLIN = ZoneInfo("Europe/Berlin")
DETAIL = re.compile(r".*/admin/events/\d+$")


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


def _create(page, live_server, screens, starts: datetime) -> int:
    page.goto(f"{live_server}/admin/events/")
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Feature Store Night")
    page.get_by_label("Host").fill("MLOps Berlin")
    page.get_by_label("Format", exact=True).select_option("in-person")
    page.get_by_label("Venue").fill("Werkhalle")
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone").fill("Europe/Berlin")
    count = page.get_by_label("Number of events in the series")
    assert not count.is_visible()
    screens.shoot("new-event-form")
    page.get_by_text("Repeat this event").click()
    expect(count).to_be_visible()  # asked for only once the organiser chooses to repeat
    screens.shoot("new-event-repeat-open")
    page.get_by_text("Repeat this event").click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(DETAIL)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(DETAIL)
    assert page.locator("#event-host").inner_text() == "MLOps Berlin"
    screens.shoot("event-published")
    return int(page.url.rsplit("/", 1)[-1])


def _register(session, event_id: int, name: str, email: str) -> None:
    register(session=session, event_id=event_id, person=Person(name, email))
    session.commit()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_organiser_duplicates_filters_moves_and_cancels_events(
    app, runner, live_server, browser, mail_server, session, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "event-admin" / f"{width}px")
    log_in_as_organiser(page, live_server, runner)
    # 18:30 in Berlin ten days on; the copy is a week after it, both at a time that exists.
    starts = (datetime.now(BERLIN) + timedelta(days=10)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    original = _create(page, live_server, screens, starts)
    _register(session, original, "Ada Lovelace", "ada@example.org")

    page.get_by_role("button", name="Duplicate").click()
    page.wait_for_url(DETAIL)
    copy = int(page.url.rsplit("/", 1)[-1])
    assert "Copy of “Feature Store Night”" in page.locator("#copy-note").inner_text()
    assert page.locator("#event-status").inner_text() == "draft"
    screens.shoot("duplicate")

    page.goto(f"{live_server}/admin/events/")
    page.get_by_role("link", name="Drafts", exact=True).click()
    expect(page.get_by_role("link", name="Drafts", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    listed = page.locator("#admin-events tbody").inner_text().lower()
    assert "feature store night copy" in listed and "published" not in listed
    screens.shoot("list-drafts")
    page.get_by_role("link", name="Upcoming", exact=True).click()
    expect(page.get_by_role("link", name="Upcoming", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert page.locator("#admin-events tbody tr").count() == 2
    screens.shoot("list-upcoming")

    page.goto(f"{live_server}/admin/events/{copy}")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(DETAIL)
    _register(session, copy, "Grace Hopper", "grace@example.org")
    page.get_by_role("link", name="Edit").click()
    later = starts + timedelta(days=7, hours=1)
    page.get_by_label("Starts").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    assert "emails 1 registered person" in page.locator("#reach").inner_text()
    assert "→" in page.locator("#changes").inner_text()
    page.get_by_label("Why it changed").fill("The room is free an hour later.")
    screens.shoot("change-confirmation")
    deliver_outbox(app)
    assert mail_server.to("grace@example.org") == []  # nothing until confirmed
    page.get_by_role("button", name="Save and email 1 person").click()
    page.wait_for_url(DETAIL)
    assert "1 person was told about the change" in page.content()
    screens.shoot("change-saved")
    deliver_outbox(app)
    moved = plain_text(mail_server.to("grace@example.org")[-1])
    assert f"{starts + timedelta(days=7):%H:%M}–" in moved and f"→ {later:%a} {later.day}" in moved
    assert "Why: The room is free an hour later." in moved

    page.goto(f"{live_server}/admin/events/{original}")
    page.get_by_role("button", name="Cancel event").click()
    assert page.locator("#reach").inner_text().startswith("This emails 1 registered person.")
    page.get_by_label("Reason").fill("Our speaker is ill; a new date follows.")
    page.get_by_role("button", name="Preview the email").click()
    assert "Why: Our speaker is ill" in page.locator("#email-preview").inner_text()
    screens.shoot("cancel-confirmation")
    deliver_outbox(app)
    assert mail_server.to("ada@example.org") == []
    page.get_by_role("button", name="Cancel the event and email 1 person").click()
    page.wait_for_url(DETAIL)
    assert page.locator("#event-status").inner_text() == "cancelled"
    assert "a new date follows" in page.locator("#cancellation-reason").inner_text()
    screens.shoot("cancelled")
    deliver_outbox(app)
    (cancelled,) = mail_server.to("ada@example.org")
    assert cancelled["Subject"] == "Cancelled: Feature Store Night"
    assert "Why: Our speaker is ill; a new date follows." in plain_text(cancelled)
    page.context.close()
