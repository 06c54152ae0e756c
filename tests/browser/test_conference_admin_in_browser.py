"""An organiser makes an event a conference, adds a stage and two sessions of one speaker,
is warned when the second clashes with the first, places it anyway, then moves it clear and
publishes the agenda, at 1280 and 390 px."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page

pytestmark = pytest.mark.browser
BERLIN = ZoneInfo("Europe/Berlin")
CONFERENCE = re.compile(r".*/admin/conferences/mlopsworld(#.*)?$")
PLACE = re.compile(r".*/admin/conferences/mlopsworld/sessions/\d+/place$")


def _conference_event(make_event):
    first = (datetime.now(BERLIN) + timedelta(days=10)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return make_event(
        title="MLOps World", starts_at=first, ends_at=first + timedelta(days=1, hours=9)
    )


def _add_session(page, screens, title: str, *, new_speaker: str | None = None, speaker=None):
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option("talk")
    page.get_by_label("Abstract").fill(f"What {title.lower()} covers.")
    page.get_by_label("Duration (minutes)").fill("45")
    if speaker:
        page.get_by_label(speaker, exact=True).check()
    if new_speaker:
        page.get_by_label("New speaker's name").fill(new_speaker)
        page.get_by_label("New speaker's bio").fill("Builds ML platforms.")
    screens.shoot(f"new-session-{title.split()[0].lower()}")
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(PLACE)


def _place(page, start: str) -> None:
    page.get_by_label("Stage").select_option(label="Main Stage")
    page.get_by_label("Day", exact=True).select_option(index=0)
    page.get_by_label("Starts at").fill(start)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_organiser_builds_places_and_publishes_a_conference(
    app, runner, live_server, browser, make_event, width
):
    event = _conference_event(make_event)
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "conference-admin" / f"{width}px")
    log_in_as_organiser(page, live_server, runner)

    page.goto(f"{live_server}/admin/events/{event.id}")
    page.get_by_label("Acronym").fill("mlopsworld")
    screens.shoot("event-page")
    page.get_by_role("button", name="Make it a conference").click()
    page.wait_for_url(CONFERENCE)
    assert page.locator("#conference-acronym").inner_text() == "mlopsworld"
    screens.shoot("new-conference")

    page.get_by_role("link", name="Add a stage").click()
    page.get_by_label("Name").fill("Main Stage")
    page.get_by_label("Capacity").fill("300")
    screens.shoot("new-stage")
    page.get_by_role("button", name="Save stage").click()
    page.wait_for_url(CONFERENCE)

    _add_session(page, screens, "Opening keynote", new_speaker="Ada Lovelace")
    _place(page, "10:00")
    page.get_by_role("button", name="Place", exact=True).click()
    page.wait_for_url(CONFERENCE)
    assert "Placed “Opening keynote” on Main Stage." in page.content()

    _add_session(page, screens, "Feature stores in practice", speaker="Ada Lovelace")
    _place(page, "10:30")
    screens.shoot("place-form")
    page.get_by_role("button", name="Place", exact=True).click()
    warnings = page.locator("#placement-conflicts").inner_text()
    assert "Ada Lovelace would be in two places at once" in warnings
    assert "Main Stage is double-booked" in warnings
    screens.shoot("conflict-warning")

    page.get_by_role("button", name="Place anyway").click()
    page.wait_for_url(CONFERENCE)
    assert "despite 2 conflicts" in page.content()
    assert page.locator("#conflicts .conflict").count() == 2
    screens.shoot("placed-anyway")

    page.locator("tr", has_text="Feature stores in practice").get_by_role(
        "link", name="Move"
    ).click()
    page.wait_for_url(PLACE)
    page.get_by_label("Starts at").fill("11:00")
    page.get_by_role("button", name="Place", exact=True).click()
    page.wait_for_url(CONFERENCE)
    assert page.locator("#conflicts").count() == 0
    screens.shoot("moved-clear")

    page.get_by_role("button", name="Publish the agenda").click()
    page.wait_for_url(CONFERENCE)
    assert "published" in page.locator("#agenda-state").inner_text()
    assert page.locator("#public-agenda").get_attribute("href") == "/conferences/mlopsworld"
    screens.shoot("published")
