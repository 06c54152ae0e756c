"""Screenshots the browser tests keep for people reviewing CI."""

from pathlib import Path


class Screens:
    """Numbered screenshots of every page the test visits, kept for people reviewing CI."""

    def __init__(self, page, folder: Path):
        self.page, self.folder, self.count = page, folder, 0
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()

    def shoot(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)
