"""The organisers' subscriber list in Chromium at a laptop's and a phone's width: search,
a status filter, pages, the CSV export of what was found, and a removal that asks first."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from community.newsletter.subscriptions import subscribe, unsubscribe
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def many_subscribers(session):
    """60 readers, Grace Hopper (unsubscribed) and a name that would run as a formula."""
    for number in range(60):
        subscribe(
            session,
            email=f"reader{number:02d}@example.org",
            name=f"Reader {number}",
            source="import",
            confirmed=True,
        )
    grace = subscribe(
        session, email="grace@example.org", name="Grace Hopper", source="web", confirmed=True
    )
    unsubscribe(grace)
    subscribe(
        session, email="trap@example.org", name="=cmd|'/c calc'!A1", source="web", confirmed=True
    )
    session.commit()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_organiser_finds_exports_and_removes_subscribers(
    live_server, runner, browser, many_subscribers, width
):
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "newsletter" / f"{width}px" / "subscribers")
    log_in_as_organiser(page, live_server, runner)

    page.goto(f"{live_server}/admin/newsletter/")
    page.get_by_role("link", name="Subscribers: search, export, remove").click()
    page.wait_for_url(f"{live_server}/admin/newsletter/subscribers")
    assert page.locator("#subscriber-total").inner_text().startswith("62 subscribers.")
    assert page.locator("#subscribers tbody tr").count() == 50
    screens.shoot("subscribers")
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#subscribers tbody tr")).to_have_count(12)
    screens.shoot("subscribers-page-2")

    page.get_by_label("Address or name").fill("hopper")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*q=hopper.*"))
    rows = page.locator("#subscribers tbody tr")
    assert rows.count() == 1 and "grace@example.org" in rows.inner_text()
    assert "unsubscribed" in rows.inner_text() and "confirmed 20" in rows.inner_text()
    screens.shoot("search-by-name")

    page.get_by_label("Address or name").fill("")
    page.get_by_label("Status").select_option("confirmed")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*status=confirmed.*"))
    assert page.locator("#subscriber-total").inner_text().startswith("61 subscribers match.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these as CSV").click()
    exported = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8"))))
    assert exported[0] == [
        "email", "name", "status", "source", "subscribed_at", "confirmed_at", "unsubscribed_at"
    ]  # fmt: skip
    assert len(exported) == 62  # the header and the 61 confirmed: Grace left
    trap = next(row for row in exported if row[0] == "trap@example.org")
    assert trap[1] == "'=cmd|'/c calc'!A1"
    assert "grace@example.org" not in {row[0] for row in exported}
    screens.shoot("filtered-for-export")

    page.get_by_label("Status").select_option("")
    page.get_by_label("Address or name").fill("trap@")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r".*q=trap.*"))
    page.get_by_role("link", name="Remove…").click()
    expect(page.get_by_role("heading", name="Remove this subscriber?")).to_be_visible()
    screens.shoot("remove-confirmation")
    page.get_by_role("button", name="Remove and delete their data").click()
    page.wait_for_url(f"{live_server}/admin/newsletter/subscribers")
    assert page.get_by_text("Removed trap@example.org").is_visible()
    assert page.locator("#subscriber-total").inner_text().startswith("61 subscribers.")
    screens.shoot("removed")
    page.context.close()
