"""A door helper named for a conference logs in on a phone or a laptop, types the code a
registered person shows on their registration page, and sees who is checked in; the same
code again says when and by whom; the QR link opened by a camera app checks in the next
person; at 1280 and 390 px."""

import re

import pytest
from playwright.sync_api import expect

from community.events import check_in
from community.events.registrations import Person, register
from community.events.tokens import manage_url
from community.models import Conference, ConferenceTeamMember, TeamRole
from community.models.types import utcnow
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, new_page
from tests.helpers import ORGANISER_PASSWORD, add_organiser

pytestmark = pytest.mark.browser
HELPER = "door@example.org"


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


def _conference(session, make_event) -> Conference:
    event = make_event(title="MLOps World Conference", kind="conference")
    conference = Conference(event_id=event.id, acronym="mlopscon", agenda_published_at=utcnow())
    session.add(conference)
    session.commit()
    return conference


def _helper_of(session, conference: Conference) -> None:
    account = add_organiser(session, email=HELPER)
    account.role = "team"
    session.add(
        ConferenceTeamMember(
            conference_id=conference.id, organiser_id=account.id, role=TeamRole.HELPER
        )
    )
    session.commit()


def _registered(session, event_id: int, name: str, email: str):
    """A confirmed place, with the check-in code its confirmation email gives."""
    registration = register(session=session, event_id=event_id, person=Person(name, email))
    check_in.check_in_code(session, registration)
    session.commit()
    return registration


def _log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(HELPER)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*(?<!/login)$"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_helper_checks_people_in_by_typed_code_and_by_qr_link(
    app, live_server, browser, session, make_event, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    conference = _conference(session, make_event)
    _helper_of(session, conference)
    ada = _registered(session, conference.event_id, "Ada Lovelace", "ada@example.org")
    grace = _registered(session, conference.event_id, "Grace Hopper", "grace@example.org")
    with app.app_context():
        ada_page, grace_link = manage_url(ada.id), check_in.check_in_url(grace)
    folder = SCREENSHOTS / "check-in" / f"{width}px"

    person = new_page(browser, width)
    person.goto(ada_page)
    code = person.locator("#check-in-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert person.locator("#door-pass svg").is_visible()
    Screens(person, folder / "person").shoot("registration-with-qr-code")

    page = new_page(browser, width)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    screens = Screens(page, folder / "helper")
    _log_in(page, live_server)
    page.goto(f"{live_server}/check-in/conferences/mlopscon")
    assert "0 of 2 registered people checked in" in page.locator("#door-counts").inner_text()
    screens.shoot("door-page")
    page.get_by_label("Check-in code").fill(code.lower())
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#checked-in-name")).to_have_text("Ada Lovelace")
    expect(page.locator("#check-in-message")).to_have_text("Ada Lovelace is checked in.")
    assert "1 of 2" in page.locator("#door-counts").inner_text()
    screens.shoot("checked-in")

    page.get_by_label("Check-in code").fill(code)
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#check-in-message")).to_have_text(
        re.compile(rf"^Ada Lovelace is already checked in at \d\d:\d\d by {re.escape(HELPER)}\.$")
    )
    screens.shoot("already-checked-in")

    page.goto(grace_link)  # as a phone's camera app opens the QR code
    assert page.locator("#checked-in-name").inner_text() == "Grace Hopper"
    assert "Press Check in" in page.locator("#check-in-message").inner_text()
    screens.shoot("scanned-qr-link")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#check-in-message")).to_have_text("Grace Hopper is checked in.")
    screens.shoot("scanned-checked-in")
    assert script_errors == []  # the scanner's script runs, or stays out of the way
