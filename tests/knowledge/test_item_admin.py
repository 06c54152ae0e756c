"""The organisers' knowledge items page: finding, editing, hiding and deleting items."""

import json
import re
from html import unescape

from sqlalchemy import insert
from sqlmodel import select

from community.knowledge.items import ItemData, get_or_create_source, upsert_item
from community.models import ContentItem, ItemKind, ItemStatus, Source, SourceKind
from tests.helpers import add_organiser, csrf_token, log_in
from tests.knowledge.feeds import feed

DRIFT = {
    "guid": "drift",
    "title": "Watching embeddings drift",
    "link": "https://blog.example.org/drift",
    "description": "Compare this week's vectors with last month's.",
}
CANARY = {
    "guid": "canary",
    "title": "Canary releases for recommenders",
    "link": "https://blog.example.org/canary",
    "description": "Route one percent of traffic to the new model first.",
}


def _logged_in(client, session):
    add_organiser(session)
    log_in(client)


def _polled_feed(runner, feed_server, *entries):
    feed_server.serve("/feed.xml", feed(*entries))
    assert runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")]).exit_code == 0
    assert runner.invoke(args=["feeds", "poll", "--all"]).exit_code == 0


def _item(session, title: str) -> ContentItem:
    session.expire_all()
    return session.exec(select(ContentItem).where(ContentItem.title == title)).one()


def _titles(html: str) -> list[str]:
    cards = re.findall(r'<li class="card" id="item-\d+">\s*<h3>(.*?)</h3>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", card)) for card in cards]


def _search_titles(client, words: str) -> list[str]:
    body = client.get("/api/search", query_string={"q": words}).get_json()
    return [result["title"] for result in body["results"]]


def _add_faq(session, question: str, collection: str = "community-faq") -> ContentItem:
    source = get_or_create_source(session=session, kind=SourceKind.FAQ, name=collection)
    data = ItemData(
        kind=ItemKind.FAQ,
        external_id=question,
        title=question,
        body_text=f"The answer to: {question}",
        collection=collection,
    )
    item, _ = upsert_item(session=session, source=source, data=data)
    session.commit()
    return item


def test_organisers_find_items_by_words_kind_collection_source_and_status(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT, CANARY)
    _add_faq(session, "How do I watch for drift in production?")
    _logged_in(client, session)
    feed_id = session.exec(select(Source).where(Source.kind == SourceKind.FEED)).one().id

    everything = _titles(client.get("/admin/items").get_data(as_text=True))
    by_words = _titles(client.get("/admin/items?q=DRIFT").get_data(as_text=True))
    in_text = _titles(client.get("/admin/items?q=one+percent").get_data(as_text=True))
    faqs = _titles(client.get("/admin/items?kind=faq").get_data(as_text=True))
    by_collection = client.get("/admin/items?collection=community-faq").get_data(as_text=True)
    by_feed = _titles(client.get(f"/admin/items?source={feed_id}").get_data(as_text=True))
    words_and_feed = client.get(f"/admin/items?q=drift&source={feed_id}").get_data(as_text=True)

    assert set(everything) == {
        "Watching embeddings drift",
        "Canary releases for recommenders",
        "How do I watch for drift in production?",
    }
    assert set(by_words) == {"Watching embeddings drift", "How do I watch for drift in production?"}
    assert in_text == ["Canary releases for recommenders"]
    assert faqs == ["How do I watch for drift in production?"]
    assert _titles(by_collection) == ["How do I watch for drift in production?"]
    assert set(by_feed) == {"Watching embeddings drift", "Canary releases for recommenders"}
    assert _titles(words_and_feed) == ["Watching embeddings drift"]
    assert "1 item" in words_and_feed and "1 items" not in words_and_feed


def test_a_bad_filter_is_explained_and_the_rest_of_the_filter_still_applies(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT, CANARY)
    _logged_in(client, session)

    response = client.get("/admin/items?kind=podcast&q=canary&source=abc")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    choices = "post, episode, faq, thread, recording"
    assert f"There is no kind “podcast”; choose one of {choices}." in html
    assert "“abc” is not a source" in html
    assert _titles(html) == ["Canary releases for recommenders"]
    assert 'value="canary"' in html  # what was typed stays in the box


def test_a_like_wildcard_typed_in_the_box_is_searched_as_itself(client, session):
    hidden = _add_faq(session, "Is 100% test coverage worth it?")
    _add_faq(session, "How big should a batch be?")
    _logged_in(client, session)
    token = csrf_token(client.get("/admin/items").get_data(as_text=True))
    client.post(f"/admin/items/{hidden.id}/hide", data={"csrf_token": token})

    by_percent = _titles(client.get("/admin/items?q=%25").get_data(as_text=True))
    by_underscore = _titles(client.get("/admin/items?q=_").get_data(as_text=True))

    assert by_percent == ["Is 100% test coverage worth it?"]  # hidden, so matched by its text
    assert by_underscore == []


def test_an_edited_title_and_tags_reach_the_page_and_search_and_outlive_a_re_poll(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT)
    _logged_in(client, session)
    item = _item(session, "Watching embeddings drift")
    edit = f"/admin/items/{item.id}/edit"

    response = client.post(
        edit,
        data={
            "title": "Noticing when embeddings drift",
            "tags": "Monitoring, Vector Search, monitoring",
            "collection": "Best practice",
            "back": "/admin/items?q=drift",
            "csrf_token": csrf_token(client.get(edit).get_data(as_text=True)),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/items?q=drift"
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "<h1>Noticing when embeddings drift</h1>" in page
    assert ">monitoring</a>" in page and ">vector search</a>" in page and "Best practice" in page
    assert _search_titles(client, "noticing embeddings") == ["Noticing when embeddings drift"]
    tagged = client.get("/api/search?q=embeddings&tag=monitoring").get_json()["results"]
    assert [result["title"] for result in tagged] == ["Noticing when embeddings drift"]

    changed = {**DRIFT, "description": "Compare this week's vectors with last quarter's."}
    feed_server.serve("/feed.xml", feed(changed))
    assert runner.invoke(args=["feeds", "poll", "--all"]).exit_code == 0

    item = _item(session, "Noticing when embeddings drift")
    assert "last quarter" in item.body_text  # the feed's change came in…
    assert item.tags == ["monitoring", "vector search"]  # …and the organiser's edit stayed
    assert item.collection == "Best practice"


def test_an_edit_with_an_empty_title_is_refused_and_keeps_what_was_typed(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT)
    _logged_in(client, session)
    item = _item(session, "Watching embeddings drift")
    edit = f"/admin/items/{item.id}/edit"

    response = client.post(
        edit,
        data={
            "title": "   ",
            "tags": "kept, as typed",
            "collection": "Typed collection",
            "csrf_token": csrf_token(client.get(edit).get_data(as_text=True)),
        },
    )
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "This field is required." in html
    assert 'value="kept, as typed"' in html and 'value="Typed collection"' in html
    assert _item(session, "Watching embeddings drift").tags == []


def test_too_many_tags_are_refused_with_the_limit(client, session):
    item = _add_faq(session, "What is a feature store?")
    _logged_in(client, session)
    edit = f"/admin/items/{item.id}/edit"
    tags = ", ".join(f"tag{number}" for number in range(31))

    response = client.post(
        edit,
        data={
            "title": "What is a feature store?",
            "tags": tags,
            "csrf_token": csrf_token(client.get(edit).get_data(as_text=True)),
        },
    )

    assert response.status_code == 400
    assert "An item takes at most 30 tags; 31 were given." in response.get_data(as_text=True)
    assert tags in unescape(response.get_data(as_text=True))


def test_a_hidden_item_leaves_search_and_its_page_until_it_is_shown_again(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT, CANARY)
    _logged_in(client, session)
    item = _item(session, "Canary releases for recommenders")
    token = csrf_token(client.get("/admin/items").get_data(as_text=True))

    client.post(f"/admin/items/{item.id}/hide", data={"csrf_token": token})

    assert _search_titles(client, "canary recommenders") == []
    assert client.get(f"/items/{item.id}").status_code == 404
    assert "Canary releases" not in client.get("/").get_data(as_text=True)
    hidden = client.get("/admin/items?status=hidden").get_data(as_text=True)
    assert _titles(hidden) == ["Canary releases for recommenders"]
    assert runner.invoke(args=["feeds", "poll", "--all"]).exit_code == 0
    assert _item(session, "Canary releases for recommenders").status == ItemStatus.HIDDEN

    client.post(f"/admin/items/{item.id}/show", data={"csrf_token": token})

    assert _search_titles(client, "canary recommenders") == ["Canary releases for recommenders"]
    assert client.get(f"/items/{item.id}").status_code == 200
    assert "Canary releases" in client.get("/").get_data(as_text=True)


def test_a_deleted_item_stays_deleted_when_its_feed_is_polled_again(
    client, session, runner, feed_server
):
    _polled_feed(runner, feed_server, DRIFT, CANARY)
    _logged_in(client, session)
    item = _item(session, "Canary releases for recommenders")
    confirm = client.get(f"/admin/items/{item.id}/delete?back=/admin/items?q=canary")
    html = confirm.get_data(as_text=True)
    assert "its feed or file will not bring it back" in html
    assert _item(session, item.title).status == ItemStatus.PUBLISHED  # asking deletes nothing

    response = client.post(
        f"/admin/items/{item.id}/delete",
        data={"csrf_token": csrf_token(html), "back": "/admin/items?q=canary"},
    )

    assert response.headers["Location"] == "/admin/items?q=canary"
    assert _search_titles(client, "canary recommenders") == []
    assert _titles(client.get("/admin/items").get_data(as_text=True)) == [DRIFT["title"]]
    changed = {**CANARY, "description": "Now with a rollback plan."}
    feed_server.serve("/feed.xml", feed(DRIFT, changed))
    assert runner.invoke(args=["feeds", "poll", "--all"]).exit_code == 0
    assert _search_titles(client, "canary recommenders") == []
    assert client.get(f"/items/{item.id}").status_code == 404
    assert _item(session, "Canary releases for recommenders").status == ItemStatus.DELETED


def test_the_back_address_never_leads_off_the_items_page(client, session):
    item = _add_faq(session, "What is a feature store?")
    _logged_in(client, session)
    token = csrf_token(client.get("/admin/items").get_data(as_text=True))

    response = client.post(
        f"/admin/items/{item.id}/hide",
        data={"csrf_token": token, "back": "https://evil.example.org/admin/items"},
    )

    assert response.headers["Location"] == "/admin/items"


def test_the_items_page_needs_an_organiser(client, session):
    item = _add_faq(session, "What is a feature store?")

    assert client.get("/admin/items").status_code == 302
    assert client.post(f"/admin/items/{item.id}/delete").status_code in (302, 400)
    assert _item(session, "What is a feature store?").status == ItemStatus.PUBLISHED


def test_a_hundred_thousand_items_are_listed_a_page_at_a_time(client, session):
    source = get_or_create_source(session=session, kind=SourceKind.FAQ, name="bulk")
    rows = [
        {
            "source_id": source.id,
            "kind": ItemKind.FAQ if number % 10 else ItemKind.POST,
            "status": ItemStatus.PUBLISHED,
            "external_id": str(number),
            "title": f"Question {number}",
            "body_text": "",
            "collection": "bulk" if number % 2 else "other",
        }
        for number in range(1, 100_001)
    ]
    session.execute(insert(ContentItem), rows)
    session.commit()
    _logged_in(client, session)

    first = client.get("/admin/items?kind=post&collection=other").get_data(as_text=True)
    later = client.get("/admin/items?kind=post&collection=other&page=3").get_data(as_text=True)

    assert _titles(first)[:2] == ["Question 100000", "Question 99990"]
    assert len(_titles(first)) == 50 and "Items 1–50" in first
    assert _titles(later)[0] == "Question 99000" and "Items 101–150" in later
    next_link = unescape(re.search(r'<a rel="next" href="([^"]+)"', later).group(1))
    assert "kind=post" in next_link and "collection=other" in next_link and "page=4" in next_link


def test_a_deleted_faq_entry_stays_deleted_and_an_edit_stays_when_the_file_is_imported_again(
    client, session, runner, tmp_path
):
    faq = tmp_path / "faq.json"
    entries = [
        {"id": "a1", "question": "What is a model registry?", "text": "A catalogue of models."},
        {"id": "b2", "question": "What is shadow traffic?", "text": "Copies of live requests."},
    ]
    faq.write_text(json.dumps([{**entry, "course": "ops-faq"} for entry in entries]))
    assert runner.invoke(args=["kb", "import", str(faq)]).exit_code == 0
    _logged_in(client, session)
    registry, shadow = (
        _item(session, "What is a model registry?"),
        _item(session, "What is shadow traffic?"),
    )
    edit = f"/admin/items/{registry.id}/edit"
    client.post(
        edit,
        data={
            "title": "Model registries, explained",
            "tags": "registry",
            "collection": "ops-faq",
            "csrf_token": csrf_token(client.get(edit).get_data(as_text=True)),
        },
    )
    token = csrf_token(client.get("/admin/items").get_data(as_text=True))
    client.post(f"/admin/items/{shadow.id}/delete", data={"csrf_token": token})

    entries[1]["text"] = "Copies of live requests, answered by the new model and thrown away."
    entries[0]["text"] = "A catalogue of models and their versions."
    faq.write_text(json.dumps([{**entry, "course": "ops-faq"} for entry in entries]))
    assert runner.invoke(args=["kb", "import", str(faq)]).exit_code == 0

    assert _item(session, "What is shadow traffic?").status == ItemStatus.DELETED
    assert _search_titles(client, "shadow traffic") == []
    kept = _item(session, "Model registries, explained")
    assert kept.body_text == "A catalogue of models and their versions."
    assert _search_titles(client, "registries explained") == ["Model registries, explained"]
