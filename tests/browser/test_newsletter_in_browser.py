"""The newsletter in Chromium at a laptop's and a phone's width: an organiser builds an
issue, previews it, sends a test, confirms the send and watches it go out; a member
subscribes twice, gets one email, confirms and opens the link again; the archived issue
is a page of the site. The email itself reads on a phone."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from community.models.types import utcnow
from community.newsletter.issues import current_week, sending_schedule
from community.newsletter.jobs import send_pending_issues
from community.newsletter.subscriptions import subscribe
from tests.browser.screens import SCREENSHOTS as ALL_SCREENSHOTS
from tests.browser.screens import WIDTHS, Screens, log_in_as_organiser, new_page
from tests.helpers import ORGANISER_EMAIL, deliver_outbox
from tests.mail_server import MailServer, plain_text
from tests.newsletter.conftest import issue_week

pytestmark = pytest.mark.browser
SCREENSHOTS = ALL_SCREENSHOTS / "newsletter"
FRESH_POST = "Detecting Drift Before Your Users Do"
INTRO = "Welcome to the **spring** issue. Tell us in [the survey](https://example.org/survey)."


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url, "NEWSLETTER_RATE_PER_SECOND": 0}


@pytest.fixture
def demo_and_news(app, runner, tmp_path):
    """Loads the demo (its posts are from 2026) and a post published at the moment given,
    brought in then, as a feed does."""

    def load(published: datetime) -> None:
        assert runner.invoke(args=["demo", "load"]).exit_code == 0
        path = tmp_path / "news.json"
        record = {"id": "fresh", "title": FRESH_POST, "body": "<p>Watch the inputs.</p>"}
        path.write_text(json.dumps([{**record, "published": published.isoformat()}]))
        with time_machine.travel(published, tick=True):
            assert runner.invoke(args=["kb", "import", str(path)]).exit_code == 0

    return load


def _in_this_weeks_issue(app) -> datetime:
    """A moment the issue "Build this week's issue" makes counts as new."""
    with app.app_context():
        return sending_schedule().send_moment(current_week()) - timedelta(hours=1)


def _shots(page, width: int, flow: str) -> Screens:
    """Each flow keeps its own folder: a Screens empties its folder when it starts."""
    return Screens(page, SCREENSHOTS / f"{width}px" / flow)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_organiser_builds_previews_tests_and_sends_an_issue(
    app, live_server, runner, session, browser, mail_server, demo_and_news, width
):
    demo_and_news(_in_this_weeks_issue(app))
    subscribe(session, email="ada@example.org", name="Ada", source="web", confirmed=True)
    session.commit()
    page = new_page(browser, width)
    screens = _shots(page, width, "organiser")
    log_in_as_organiser(page, live_server, runner)

    page.goto(f"{live_server}/admin/newsletter/")
    screens.shoot("newsletter-admin")
    page.get_by_role("button", name="Build this week's issue").click()
    page.wait_for_url(re.compile(r".*/admin/newsletter/\d+$"))
    issue_url = page.url
    page.get_by_label("Intro paragraph (Markdown)").fill(INTRO)
    page.get_by_role("button", name="Save intro").click()
    page.wait_for_url(issue_url)
    text = page.locator("#issue-text").inner_text()
    email = page.frame_locator("#email-preview").locator("body")
    assert "Welcome to the spring issue." in text and "(https://example.org/survey)" in text
    assert "%%" not in text and "**" not in text
    email.get_by_text(FRESH_POST).wait_for()  # the iframe loads after the page
    assert "%%" not in email.inner_text()
    assert email.locator("strong", has_text="spring").count() == 1
    screens.shoot("draft-with-preview")

    page.get_by_role("button", name=f"Send a test to {ORGANISER_EMAIL}").click()
    page.wait_for_url(issue_url)
    assert page.get_by_text(f"A test is on its way to {ORGANISER_EMAIL}").is_visible()
    screens.shoot("test-sent")
    deliver_outbox(app)
    (test_copy,) = mail_server.to(ORGANISER_EMAIL)
    assert "%%" not in plain_text(test_copy)

    page.get_by_role("link", name="Send to subscribers…").click()
    page.wait_for_url(f"{issue_url}/send")
    assert page.locator("#send-recipients").inner_text() == "1 confirmed subscriber"
    assert page.locator("#send-subject").inner_text().startswith("MLOps Community weekly")
    screens.shoot("send-confirmation")
    assert mail_server.to("ada@example.org") == []
    page.get_by_role("button", name="Send to 1 subscriber").click()
    page.wait_for_url(f"{issue_url}/progress")
    assert page.get_by_text("Sending to 1 subscriber.").is_visible()
    assert page.locator("#progress-summary").inner_text() == "0 of 1 subscriber sent."
    screens.shoot("sending-progress")

    with app.app_context():
        send_pending_issues()  # what the scheduler does each minute

    # No reload: the page asks for the figures until the issue is sent.
    page.locator("#progress-status").filter(has_text=re.compile("^sent$")).wait_for()
    assert page.locator("#progress-summary").inner_text() == "1 of 1 subscriber sent."
    screens.shoot("sent")
    assert len(mail_server.to("ada@example.org")) == 1

    issue_id = issue_url.rsplit("/", 1)[-1]
    reader = new_page(browser, width)
    archived = _shots(reader, width, "archive")
    reader.goto(f"{live_server}/newsletter/archive")
    archived.shoot("archive")
    reader.get_by_role("link", name=re.compile("MLOps Community weekly")).click()
    reader.wait_for_url(f"{live_server}/newsletter/archive/{issue_id}")
    assert reader.get_by_role("navigation", name="Site").is_visible()
    assert reader.locator("#issue").get_by_text(FRESH_POST).is_visible()
    assert reader.locator("#subscribe-box").get_by_role("button", name="Subscribe").is_visible()
    assert reader.get_by_text("You receive this because").count() == 0
    assert reader.get_by_role("link", name="Unsubscribe").count() == 0
    archived.shoot("archived-issue")
    page.context.close()
    reader.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_subscribes_twice_gets_one_email_and_confirms_once(
    app, live_server, session, browser, mail_server, width
):
    app.extensions["settings"].PUBLIC_URL = live_server
    page = new_page(browser, width)
    screens = _shots(page, width, "member")

    def subscribe_in_form(name: str) -> None:
        page.goto(f"{live_server}/newsletter")
        page.get_by_label("Email").fill("ada@example.org")
        page.get_by_label("Name (optional)").fill(name)
        page.get_by_role("button", name="Subscribe").click()
        expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    subscribe_in_form("Ada")
    screens.shoot("check-your-inbox")
    # Half an hour later, past the cap that spaces any two emails to one address.
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=30), tick=True):
        subscribe_in_form("Ada Lovelace")
        screens.shoot("check-your-inbox-again")
        deliver_outbox(app)
    (confirmation,) = mail_server.to("ada@example.org")
    link = re.search(r"(http://127\.0\.0\.1:\d+/newsletter/confirm/\S+)", plain_text(confirmation))

    page.goto(link.group(1))
    screens.shoot("confirm")
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.locator("#subscription-status")).to_have_text(
        re.compile(r"^You receive the weekly newsletter at")
    )
    screens.shoot("subscribed")
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="You are already subscribed")).to_be_visible()
    screens.shoot("link-opened-again")
    deliver_outbox(app)
    assert len(mail_server.to("ada@example.org")) == 1
    page.context.close()


def test_the_email_fits_a_phone_screen(
    app, runner, session, browser, mail_server: MailServer, demo_and_news
):
    demo_and_news(utcnow())
    subscribe(session, email="ada@example.org", name="Ada", source="web", confirmed=True)
    session.commit()
    week = issue_week(app).isoformat()  # lists the post published just now
    built = json.loads(runner.invoke(args=["newsletter", "build", "--week", week, "--json"]).stdout)
    runner.invoke(args=["newsletter", "send", str(built["issue"]), "--json"])
    (message,) = mail_server.to("ada@example.org")
    html = message.get_body(preferencelist=("html",)).get_content()

    phone = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    page = phone.new_page()
    page.set_content(html)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "email-on-a-phone.png", full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("link", name="Unsubscribe").is_visible()
    assert page.get_by_text(FRESH_POST).is_visible()
    phone.close()
