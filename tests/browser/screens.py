"""Screenshots the browser tests keep for people reviewing CI."""

import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

ATTEMPTS = 3


class Screens:
    """Numbered screenshots of every page the test visits, kept for people reviewing CI."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shoot(self, name: str) -> None:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self.page.screenshot(path=path, full_page=True)
                return
            except PlaywrightError as error:
                # A busy Chromium sometimes cannot capture a frame; the page itself is fine.
                if "Unable to capture screenshot" not in str(error) or attempt == ATTEMPTS:
                    raise
                time.sleep(0.5 * attempt)
