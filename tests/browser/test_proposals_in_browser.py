"""A speaker answers the call for proposals, two reviewers score the proposal (each seeing the
other's score only after giving their own), an organiser accepts it and the speaker gets the
acceptance email and sees it on their proposal's page, at 1280 and 390 px."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from community.models import Conference
from community.models.types import utcnow
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page
from tests.conferences.conftest import make_conference  # noqa: F401 (a fixture)
from tests.conferences.review_accounts import TEAM_PASSWORD, add_team_account
from tests.helpers import deliver_outbox
from tests.mail_server import plain_text

pytestmark = pytest.mark.browser
SPEAKER = "ada@example.org"
TITLE = "Feature stores at scale"


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url}


@pytest.fixture
def conference(session, make_conference) -> Conference:  # noqa: F811
    """A conference whose call for proposals is open for three more days."""
    conference = make_conference().conference
    conference.cfp_opens_at = utcnow() - timedelta(days=1)
    conference.cfp_closes_at = utcnow() + timedelta(days=3)
    conference.cfp_description = "We want **war stories** from production."
    session.add(conference)
    session.commit()
    return conference


def _propose(page, live_server, screens) -> None:
    page.goto(f"{live_server}/conferences/mlopscon/cfp")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Abstract").fill("How we *served* features to 200 models.")
    page.get_by_label("Format").select_option("workshop")
    page.get_by_label("Track").select_option(label="Platforms")
    page.get_by_label("Your name").fill("Ada Byron")
    page.get_by_label("Your email").fill(SPEAKER)
    page.get_by_label("About you").fill("Builds ML platforms.")
    for row, (name, email) in enumerate(
        [("Grace Hopper", "grace@example.org"), ("Alan Turing", "alan@example.org")]
    ):
        page.locator(f"#co_speakers-{row}-name").fill(name)
        page.locator(f"#co_speakers-{row}-email").fill(email)
    screens.shoot("cfp-form")
    page.get_by_role("button", name="Add another co-speaker").click()
    expect(page.locator("#co_speakers-3-name")).to_be_visible()  # a fourth row, without JavaScript
    assert page.get_by_label("Title").input_value() == TITLE  # and nothing typed is lost
    page.get_by_role("button", name="Submit the proposal").click()
    page.wait_for_url(re.compile(r".*/cfp/submitted$"))
    assert "is on its way to ada@example.org" in page.content()
    screens.shoot("cfp-submitted")


def _proposal_link(app, mail_server, subject: str) -> str:
    deliver_outbox(app)
    (message,) = [m for m in mail_server.to(SPEAKER) if m["Subject"].startswith(subject)]
    match = re.search(r"(http://\S+/cfp/proposals/\S+)", plain_text(message))
    assert match, "the email has no link to the proposal"
    return match.group(1)


def _reviewer_page(browser, width, live_server, conference, session, email: str, name: str):
    add_team_account(session, conference, email, name=name)
    page = new_page(browser, width)
    page.goto(f"{live_server}/login?next=/review/mlopscon")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEAM_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/review/mlopscon")
    return page


def _score(page, value: str, comment: str) -> None:
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(r".*/review/mlopscon/proposals/\d+$"))
    assert page.locator("#reviews-hidden").is_visible()
    page.get_by_label(value).check()
    page.get_by_label("Your comment").fill(comment)
    page.get_by_role("button", name="Save my review").click()
    page.wait_for_url(re.compile(r".*/review/mlopscon/proposals/\d+$"))
    assert "Your review is saved." in page.content()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_proposal_is_submitted_reviewed_by_two_and_accepted(
    app, runner, live_server, browser, mail_server, session, conference, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    folder = SCREENSHOTS / "proposals" / f"{width}px"
    speaker = new_page(browser, width)
    screens = Screens(speaker, folder / "speaker")
    _propose(speaker, live_server, screens)
    link = _proposal_link(app, mail_server, "Your proposal for")
    speaker.goto(link)
    assert speaker.get_by_label("Title").input_value() == TITLE
    screens.shoot("proposal-editable")

    rita = _reviewer_page(
        browser, width, live_server, conference, session, "rita@example.org", "Rita"
    )
    rita_screens = Screens(rita, folder / "rita")
    assert rita.locator(".other-scores").inner_text() == "hidden until you score"
    rita_screens.shoot("queue-before-scoring")
    _score(rita, "4 — good", "Strong war stories.")
    assert "Nobody else has reviewed it yet." in rita.content()
    rita_screens.shoot("scored")

    sam = _reviewer_page(browser, width, live_server, conference, session, "sam@example.org", "Sam")
    sam_screens = Screens(sam, folder / "sam")
    assert sam.locator(".review-count").inner_text() == "1"
    assert sam.locator(".other-scores").inner_text() == "hidden until you score"
    sam.get_by_role("link", name=TITLE).click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert "Strong war stories." not in sam.content()
    sam_screens.shoot("proposal-before-scoring")
    sam.go_back()
    _score(sam, "2 — weak", "Heard it before.")
    others = sam.locator(".other-review")
    assert others.count() == 1 and "Strong war stories." in others.inner_text()
    assert "Rita" in others.inner_text()
    sam_screens.shoot("scored-sees-rita")
    sam.goto(f"{live_server}/review/mlopscon")
    assert sam.locator(".average").inner_text() == "3.0"
    sam_screens.shoot("queue-after-scoring")
    rita.reload()
    assert "Heard it before." in rita.locator("#other-reviews").inner_text()

    organiser = new_page(browser, width)
    organiser_screens = Screens(organiser, folder / "organiser")
    log_in_as_organiser(organiser, live_server, runner)
    organiser.goto(f"{live_server}/review/mlopscon")
    organiser.get_by_role("link", name=TITLE).click()
    organiser_screens.shoot("proposal-with-decision")
    organiser.get_by_role("button", name="Accept").click()
    organiser.wait_for_url(re.compile(r".*/review/mlopscon/proposals/\d+$"))
    assert "is accepted; the speakers are being emailed." in organiser.content()
    assert "not placed on the agenda yet" in organiser.locator("#decision-state").inner_text()
    organiser_screens.shoot("accepted")

    accepted_link = _proposal_link(app, mail_server, "Accepted:")
    assert accepted_link == link
    speaker.goto(link)
    assert "Accepted." in speaker.locator("#proposal-status").inner_text()
    screens.shoot("proposal-accepted")
    for page in (speaker, rita, sam, organiser):
        page.context.close()
