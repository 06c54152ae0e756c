"""Screenshots the browser tests keep for people reviewing CI, and the widths pages must fit."""

import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

ATTEMPTS = 3
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "browser"
# A laptop and a phone (an iPhone 12–15's CSS width): every page must fit both.
DESKTOP, PHONE = 1280, 390
WIDTHS = (DESKTOP, PHONE)
HEIGHT = {DESKTOP: 900, PHONE: 844}


def new_page(browser, width: int):
    """A page in a fresh context (its own cookies) whose viewport is `width` CSS pixels wide."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT[width]})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sideways_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)"
    )


class Screens:
    """Numbered screenshots of every page the test visits, kept for people reviewing CI.

    Each shot first checks that the page fits its viewport's width: a page a phone has to
    scroll sideways fails the test that visited it."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shoot(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        # A click that navigates returns once the new page commits, before its stylesheet
        # has loaded; measured then, an unstyled table is wider than a phone.
        self.page.wait_for_load_state("load")
        overflow = sideways_overflow(self.page)
        width = self.page.viewport_size["width"]
        assert overflow == 0, f"{name} ({self.page.url}) is {overflow} px too wide at {width} px"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.page.screenshot(path=path, full_page=True)
                return path
            except PlaywrightError as error:
                # A busy Chromium sometimes cannot capture a frame; the page itself is fine.
                if "Unable to capture screenshot" not in str(error) or attempt == ATTEMPTS:
                    raise
                time.sleep(0.5 * attempt)
        return path


def log_in_as_organiser(page, base_url: str, runner) -> None:
    """Creates the organiser (once per app) and logs in through the form."""
    from tests.helpers import ORGANISER_EMAIL, ORGANISER_PASSWORD

    runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{ORGANISER_PASSWORD}\n"
    )
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(ORGANISER_EMAIL)
    page.get_by_label("Password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/admin/")
