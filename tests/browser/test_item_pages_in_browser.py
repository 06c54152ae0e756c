"""An item's page and the search page in Chromium, on a desktop and on a 390 px phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from community.models import ContentItem
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, new_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_an_answer_s_page_reads_well_and_leads_to_related_items(
    app, runner, session, live_server, browser, width
):
    app.extensions["settings"].PUBLIC_URL = live_server  # absolute links lead to this server
    runner.invoke(args=["demo", "load"])
    entry = next(
        item
        for item in session.exec(select(ContentItem)).all()
        if item.title.startswith("How do I detect data drift")
    )
    page = new_page(browser, width)
    context = page.context
    screens = Screens(page, SCREENSHOTS / "items" / f"{width}px")

    page.goto(f"{live_server}/search?q=data+drift")
    screens.shoot(f"search-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.get_by_role("button", name="Search").is_visible()
    page.get_by_role("link", name=entry.title).first.click()
    page.wait_for_url(f"{live_server}/items/{entry.id}")

    expect(page.get_by_role("heading", name=entry.title)).to_be_visible()
    assert page.locator("#item-body").inner_text().strip().startswith(entry.body_text[:40])
    screens.shoot(f"faq-entry-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    related = page.locator("#related a").first
    related_title = related.inner_text()
    related.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(related_title)
    assert page.url.startswith(f"{live_server}/items/")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_page_narrows_by_collection_and_kind_on_any_screen(
    runner, live_server, browser, width
):
    runner.invoke(args=["demo", "load"])
    page = new_page(browser, width)
    context = page.context
    screens = Screens(page, SCREENSHOTS / "items-search" / f"{width}px")

    page.goto(f"{live_server}/search?q=production")
    collections = page.get_by_role("list", name="Collections")
    collections.get_by_role("link", name=re.compile(r"^community-faq \(\d+\)$")).click()
    page.wait_for_url(re.compile(r"collection=community-faq"))
    screens.shoot(f"search-collection-{width}")

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert {badge.lower() for badge in page.locator("#results .badge").all_inner_texts()} == {"faq"}
    chosen = collections.locator('[aria-current="true"]')
    assert chosen.inner_text().startswith("community-faq")
    kinds = page.get_by_role("list", name="Kinds")
    kinds.get_by_role("link", name=re.compile(r"^faq \(\d+\)$")).click()
    page.wait_for_url(re.compile(r"kind=faq"))
    assert "collection=community-faq" in page.url  # choosing a kind keeps the collection
    collections = page.get_by_role("list", name="Collections")
    collections.get_by_role("link", name="All collections").click()
    page.wait_for_url(lambda url: "collection=" not in url)
    assert "kind=faq" in page.url
    context.close()
