import pytest
from playwright.sync_api import expect

from tests.helpers import ORGANISER_EMAIL, ORGANISER_PASSWORD

pytestmark = pytest.mark.browser


def test_organiser_created_on_the_command_line_logs_in_through_the_form(runner, live_server, page):
    created = runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )
    assert created.exit_code == 0, created.output

    page.goto(f"{live_server}/admin/")
    assert page.url.startswith(f"{live_server}/login")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{live_server}/admin/")
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_text("You are logged out.").is_visible()


def test_wrong_password_in_the_browser_shows_a_clear_message(runner, live_server, page):
    runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )

    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_text("do not match an organiser account")).to_be_visible()
    assert page.url.startswith(f"{live_server}/login")


def test_a_login_form_without_its_csrf_token_is_refused(runner, live_server, page):
    runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )
    page.goto(f"{live_server}/login")
    page.eval_on_selector("input[name=csrf_token]", "element => element.remove()")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)

    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="The form could not be accepted")).to_be_visible()
    page.goto(f"{live_server}/admin/")
    assert page.url.startswith(f"{live_server}/login")


def _log_in_through_the_form(page, live_server, password=ORGANISER_PASSWORD):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/admin/")


def test_logging_out_ends_a_session_copied_into_another_browser(runner, live_server, browser):
    runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )
    mine, copied = browser.new_context(), browser.new_context()
    page = mine.new_page()
    _log_in_through_the_form(page, live_server)
    copied.add_cookies(mine.cookies())
    stolen = copied.new_page()
    stolen.goto(f"{live_server}/admin/")
    assert stolen.get_by_role("heading", name="Dashboard").is_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/")
    stolen.goto(f"{live_server}/admin/")

    assert stolen.url.startswith(f"{live_server}/login")
    mine.close()
    copied.close()


def test_organiser_changes_the_password_from_the_organiser_pages(runner, live_server, page):
    runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )
    _log_in_through_the_form(page, live_server)

    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Current password").fill(ORGANISER_PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("New password again").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()

    page.wait_for_url(f"{live_server}/admin/")
    assert page.get_by_text("Your password is changed").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server}/")
    _log_in_through_the_form(page, live_server, password="a brand new passphrase")
    assert page.get_by_role("heading", name="Dashboard").is_visible()


def test_home_page_is_readable_on_a_phone(runner, live_server, browser):
    runner.invoke(args=["demo", "load"])
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()

    page.goto(live_server)

    assert page.get_by_role("heading", name="Upcoming events").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a narrow screen"
    context.close()
