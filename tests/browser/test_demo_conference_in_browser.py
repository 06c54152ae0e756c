"""Pretalx's demo conference, imported from its schedule file with the command organisers
use, reads day by day on the public agenda at a laptop's and a phone's width: every session
of each day is there, on its stage, and the agenda links its schedule files."""

import json

import pytest

from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, new_page
from tests.schedule_datasets import dataset

pytestmark = pytest.mark.browser


@pytest.fixture
def democon(runner):
    path = dataset("pretalx-democon.json")
    result = runner.invoke(args=["conferences", "import", str(path)])
    assert result.exit_code == 0, result.output
    days = json.loads(path.read_text())["schedule"]["conference"]["days"]
    return [
        {room: [talk["title"] for talk in talks] for room, talks in day["rooms"].items()}
        for day in days
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_imported_demo_conference_reads_day_by_day(browser, live_server, democon, width):
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "demo-conference" / f"{width}px")

    for index, rooms in enumerate(democon, start=1):
        page.goto(f"{live_server}/conferences/democon?day={index}")
        titles = page.locator("#agenda-sessions h3").all_inner_texts()
        expected = [title for talks in rooms.values() for title in talks]
        assert sorted(titles) == sorted(expected), f"day {index}"
        for room, talks in rooms.items():
            for title in talks:
                card = page.locator("#agenda-sessions > li", has_text=title).first
                assert room in card.inner_text(), f"{title} is not shown in {room}"
        screens.shoot(f"day-{index}")

    assert page.locator('a[href="/conferences/democon/agenda.ics"]').count() >= 1
    assert page.request.get(f"{live_server}/conferences/democon/schedule.json").ok
