"""The newsletter email reads on a phone: no sideways scrolling at 375 px."""

import json
from pathlib import Path

import pytest

from community.newsletter.subscriptions import subscribe
from tests.mail_server import MailServer
from tests.newsletter.conftest import issue_week

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "newsletter"


@pytest.fixture
def app_config(app_config, mail_server):
    return {**app_config, "SMTP_URL": mail_server.url, "NEWSLETTER_RATE_PER_SECOND": 0}


def test_the_email_fits_a_phone_screen(app, runner, session, browser, mail_server: MailServer):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    subscribe(session, email="ada@example.org", name="Ada", source="web", confirmed=True)
    session.commit()
    week = issue_week(app).isoformat()  # lists the demo content added just now
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
    assert page.get_by_text("Detecting Model Drift in Production").is_visible()
    phone.close()
