"""An organiser opens the dashboard, follows every card to its page, opens the Jobs page and
runs a job with Run now, at a laptop's and a phone's width."""

import re

import pytest

from community.models import ContentItem, ItemStatus, Source, SourceKind, UnansweredQuestion
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page

pytestmark = pytest.mark.browser

CARD_PAGES = {
    "Curation queue": "/admin/curation",
    "Unanswered questions": "/admin/questions",
    "Newsletter": "/admin/newsletter/",
    "Outbox": "/admin/outbox/",
    "Feeds": "/admin/feeds",
    "Scheduled jobs": "/admin/jobs",
}


def _something_to_do(session, make_event):
    curated = Source(kind=SourceKind.CURATION, name="Curated")
    session.add(curated)
    session.commit()
    session.add(
        ContentItem(
            source_id=curated.id,
            kind="post",
            status=ItemStatus.PENDING,
            external_id="proposed",
            title="Monitoring embeddings for drift",
        )
    )
    session.add(UnansweredQuestion(question="How do I shard a feature store?", asked_via="web"))
    session.commit()
    return make_event(title="Drift Meetup", capacity=30)


@pytest.mark.parametrize("width", WIDTHS)
def test_organiser_acts_from_the_dashboard_and_runs_a_job(
    browser, live_server, runner, session, make_event, width
):
    event = _something_to_do(session, make_event)
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "dashboard" / f"{width}px")
    log_in_as_organiser(page, live_server, runner)

    cards = page.locator("#to-do > li > a")
    assert cards.count() == len(CARD_PAGES)
    assert "1 post waiting for review" in page.locator("#to-do").inner_text()
    screens.shoot("dashboard")
    for title, path in CARD_PAGES.items():
        page.goto(f"{live_server}/admin/")
        page.locator("#to-do > li > a", has_text=title).click()
        page.wait_for_url(f"{live_server}{path}")
        assert page.locator("h1").count() == 1
        if title == "Outbox":
            screens.shoot("outbox")
    page.goto(f"{live_server}/admin/")
    page.get_by_role("link", name="Drift Meetup").click()
    page.wait_for_url(f"{live_server}/admin/events/{event.id}")

    page.goto(f"{live_server}/admin/jobs")
    row = page.locator("#job-scheduler\\.prune_job_runs")
    assert row.locator(".last-run").inner_text() == "never"
    screens.shoot("jobs")
    row.get_by_role("button", name="Run scheduler.prune_job_runs now").click()
    page.wait_for_url(re.compile(r".*/admin/jobs(#.*)?$"))

    assert "scheduler.prune_job_runs ran and succeeded." in page.locator(".flashes").inner_text()
    last_run = page.locator("#job-scheduler\\.prune_job_runs .last-run").inner_text()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by organiser@example.org", last_run)
    assert "succeeded" in page.locator("#job-scheduler\\.prune_job_runs").inner_text()
    screens.shoot("jobs-after-run-now")
    page.context.close()
