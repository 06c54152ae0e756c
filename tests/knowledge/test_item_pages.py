"""Every published knowledge item has its own page, and answers and search link to it."""

import json

import pytest
from markupsafe import escape
from sqlmodel import select

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, ItemKind, ItemStatus, SourceKind


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0


def _item(session, title_start: str) -> ContentItem:
    items = session.exec(select(ContentItem)).all()
    return next(item for item in items if item.title.startswith(title_start))


def test_an_faq_entry_has_a_page_with_its_full_answer_and_related_items(client, demo, session):
    entry = _item(session, "How do I detect data drift")

    page = client.get(f"/items/{entry.id}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert entry.title in html
    assert str(escape(entry.body_text.split("\n")[0])) in html  # the whole answer
    related = html.split('id="related"')[1]
    assert "drift" in related.lower()
    assert "join the community Slack" not in related  # sharing "how do I" is not related


def test_a_post_page_links_to_the_original_and_shows_its_source_and_date(client, demo, session):
    post = _item(session, "Detecting Model Drift in Production")

    html = client.get(f"/items/{post.id}").get_data(as_text=True)

    assert 'href="https://example.org/posts/detecting-model-drift-in-production"' in html
    assert "Community blog" in html
    assert post.published_at.strftime("%d %b %Y") in html


def test_hostile_html_in_an_item_is_cleaned_on_its_page(app, client, session):
    source = get_or_create_source(session=session, kind=SourceKind.CURATION, name="Curated")
    data = ItemData(
        kind=ItemKind.POST,
        external_id="hostile",
        title="A post with tricks",
        body_html='<p>Fine text</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>',
        body_text="Fine text",
    )
    item, _ = upsert_item(session=session, source=source, data=data)
    session.commit()

    html = client.get(f"/items/{item.id}").get_data(as_text=True)

    assert "Fine text" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_items_not_published_have_no_page(client, demo, session):
    draft = _item(session, "How do I detect data drift")
    draft.status = ItemStatus.PENDING
    session.commit()

    assert client.get(f"/items/{draft.id}").status_code == 404
    assert client.get("/items/999999").status_code == 404


def test_search_the_apis_and_answers_link_to_the_item_pages(client, runner, demo):
    hits = client.get("/api/search", query_string={"q": "data drift"}).get_json()["results"]
    answer = json.loads(runner.invoke(args=["ask", "how do I detect data drift?", "--json"]).output)
    page = client.get("/search", query_string={"q": "data drift"}).get_data(as_text=True)

    item_hits = [hit for hit in hits if hit["kind"] != "event"]
    assert all(hit["page_url"].startswith("http://localhost/items/") for hit in item_hits)
    assert answer["items"][0]["page_url"].startswith("http://localhost/items/")
    first = item_hits[0]["page_url"].removeprefix("http://localhost")
    assert client.get(first).status_code == 200
    assert f'href="{item_hits[0]["page_url"]}"' in page
