"""An organiser looks after the knowledge base in Chromium, on a desktop and on a phone."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from community.models import ContentItem, ItemStatus
from tests.browser.screens import SCREENSHOTS, WIDTHS, Screens, log_in_as_organiser, new_page
from tests.knowledge.feeds import feed
from tests.local_http import FeedServer

pytestmark = pytest.mark.browser

ENTRIES = (
    {
        "guid": "drift",
        "title": "Watching embeddings drift",
        "link": "https://blog.example.org/drift",
        "description": "Compare this week's vectors with last month's to see them move.",
    },
    {
        "guid": "canary",
        "title": "Canary releases for recommenders",
        "link": "https://blog.example.org/canary",
        "description": "Route one percent of traffic to the new recommender first.",
    },
    {
        "guid": "sunset",
        "title": "Sunsetting a stale feature pipeline",
        "link": "https://blog.example.org/sunset",
        "description": "Announce the date, move the last readers, then switch it off.",
    },
)


@pytest.fixture
def app_config(app_config):
    """The test feed is served from 127.0.0.1, which production refuses by default."""
    return {**app_config, "FEEDS_ALLOW_PRIVATE_NETWORKS": True}


@pytest.fixture
def feed_server():
    with FeedServer() as server:
        yield server
    assert not server.errors, f"a server handler failed: {server.errors!r}"


def _flash(page) -> str:
    return " ".join(page.locator(".flash").all_inner_texts())


def _card(page, title: str):
    return page.locator("#items > li.card").filter(has=page.get_by_role("heading", name=title))


def _card_titles(page) -> list[str]:
    return [text.strip() for text in page.locator("#items > li.card h3").all_inner_texts()]


def _search_titles(page, live_server: str, words: str) -> list[str]:
    page.goto(f"{live_server}/search?q={words}")
    return [text.strip() for text in page.locator("#results h3").all_inner_texts()]


@pytest.mark.parametrize("width", WIDTHS)
def test_an_organiser_finds_edits_hides_and_deletes_items_and_removes_a_feed(
    runner, session, live_server, browser, feed_server, width
):
    runner.invoke(args=["demo", "load"])
    feed_server.serve("/feed.xml", feed(*ENTRIES, title="Shipping Models"))
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml"), "--collection", "Blogs"])
    runner.invoke(args=["feeds", "poll", "--all"])
    page = new_page(browser, width)
    screens = Screens(page, SCREENSHOTS / "knowledge-admin" / f"{width}px")
    log_in_as_organiser(page, live_server, runner)

    page.goto(f"{live_server}/admin/curation")
    page.locator(".admin-main").get_by_role("link", name="Knowledge items").click()
    page.wait_for_url(re.compile(r"/admin/items$"))
    screens.shoot("items")

    page.get_by_label("Title or text").fill("recommenders")
    page.get_by_role("button", name="Show items").click()
    page.wait_for_url(re.compile(r"q=recommenders"))
    assert _card_titles(page) == ["Canary releases for recommenders"]
    assert page.locator("#item-count").inner_text() == "1 item"
    screens.shoot("items-searched")

    page.get_by_label("Title or text").fill("")
    page.get_by_label("Kind").select_option(label="FAQ entry")
    page.get_by_role("button", name="Show items").click()
    page.wait_for_url(re.compile(r"kind=faq"))
    metas = page.locator("#items > li.card .meta").all_inner_texts()
    assert len(metas) == 12 and all(meta.startswith("FAQ entry") for meta in metas)
    screens.shoot("items-faq")

    page.goto(f"{live_server}/admin/items?q=embeddings")
    _card(page, "Watching embeddings drift").get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Noticing when embeddings drift")
    page.get_by_label("Tags, separated by commas").fill("Monitoring, vector search")
    screens.shoot("item-edit")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/items\?q=embeddings$"))  # back to the same list
    assert _flash(page).startswith("“Noticing when embeddings drift”")
    screens.shoot("items-after-edit")
    _card(page, "Noticing when embeddings drift").get_by_role(
        "link", name="Noticing when embeddings drift", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noticing when embeddings drift")
    assert page.get_by_role("list", name="Tags").all_inner_texts()[0].split() == [
        "monitoring",
        "vector",
        "search",
    ]
    screens.shoot("item-page-edited")
    assert _search_titles(page, live_server, "noticing embeddings")[0] == (
        "Noticing when embeddings drift"
    )
    screens.shoot("search-edited")

    page.goto(f"{live_server}/admin/items?q=recommenders")
    _card(page, "Canary releases for recommenders").get_by_role("button", name="Hide").click()
    expect(page.locator(".flash")).to_contain_text("hidden")  # the list comes back at the same URL
    assert "hidden" in _card(page, "Canary releases for recommenders").inner_text()
    screens.shoot("item-hidden")
    assert "Canary releases for recommenders" not in _search_titles(
        page, live_server, "recommenders"
    )
    screens.shoot("search-without-hidden")

    page.goto(f"{live_server}/admin/items?q=sunsetting")
    _card(page, "Sunsetting a stale feature pipeline").get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Delete “Sunsetting"))
    screens.shoot("item-delete-confirm")
    page.get_by_role("button", name="Delete it").click()
    page.wait_for_url(re.compile(r"/admin/items\?q=sunsetting$"))
    assert _card_titles(page) == []
    screens.shoot("items-after-delete")
    assert runner.invoke(args=["feeds", "poll", "--all"]).exit_code == 0
    deleted = session.exec(select(ContentItem).where(ContentItem.external_id == "sunset")).one()
    session.refresh(deleted)
    assert deleted.status == ItemStatus.DELETED
    assert "Sunsetting a stale feature pipeline" not in _search_titles(
        page, live_server, "sunsetting"
    )

    page.goto(f"{live_server}/admin/feeds")
    row = page.locator("#feeds > li.card").filter(has_text="Shipping Models")
    assert "2 items" in row.inner_text() and "1 hidden" in row.inner_text()
    screens.shoot("feeds")
    row.get_by_role("link", name="Remove Shipping Models…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove “Shipping Models”?")
    assert "also deletes its 2 items" in page.locator("#what-happens").inner_text()
    screens.shoot("feed-remove-confirm")
    page.get_by_role("button", name="Remove the feed and 2 items").click()
    page.wait_for_url(re.compile(r"/admin/feeds$"))
    assert "“Shipping Models” removed with its 2 items." in _flash(page)
    assert page.locator("#feeds > li.card").filter(has_text="Shipping Models").count() == 0
    screens.shoot("feeds-after-remove")
    page.context.close()
