import re
from html import unescape

from sqlmodel import select

from community.knowledge import curation
from community.knowledge.items import ItemData
from community.models import ContentItem, ItemKind, ItemStatus, Source
from tests.helpers import add_organiser, csrf_token, log_in
from tests.knowledge.feeds import feed

ARTICLE = """<!doctype html><html><head>
<title>Ignored when og:title exists</title>
<meta property="og:title" content="Monitoring embeddings for drift">
<meta name="description" content="How to notice when your vector space moves.">
<meta name="author" content="Rosa Lind">
<link rel="canonical" href="https://blog.example.org/embedding-drift">
</head><body><p>Text</p></body></html>"""


def _logged_in(client, session):
    add_organiser(session)
    log_in(client)
    return client


def _token(client, path):
    return csrf_token(client.get(path).get_data(as_text=True))


def test_organiser_adds_pauses_resumes_and_removes_a_feed(client, session):
    _logged_in(client, session)

    response = client.post(
        "/admin/feeds",
        data={
            "url": "https://pod.example.org/rss",
            "collection": "Podcasts",
            "csrf_token": _token(client, "/admin/feeds"),
        },
    )

    assert response.status_code == 302
    feed = session.exec(select(Source)).one()
    page = client.get("/admin/feeds").get_data(as_text=True)
    assert "https://pod.example.org/rss" in page and "Podcasts" in page
    token = _token(client, "/admin/feeds")
    client.post(f"/admin/feeds/{feed.id}/pause", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Source, feed.id).active is False
    client.post(f"/admin/feeds/{feed.id}/resume", data={"csrf_token": token})
    session.expire_all()
    assert session.get(Source, feed.id).active is True
    client.post(f"/admin/feeds/{feed.id}/remove", data={"csrf_token": token})
    session.expire_all()
    assert session.exec(select(Source)).all() == []


def test_a_bad_feed_address_is_refused_with_a_message(client, session):
    _logged_in(client, session)

    response = client.post(
        "/admin/feeds",
        data={"url": "ftp://nope", "csrf_token": _token(client, "/admin/feeds")},
    )

    assert response.status_code == 400
    assert "Invalid URL" in response.get_data(as_text=True)
    assert session.exec(select(Source)).all() == []


def test_feed_page_shows_the_last_error_to_organisers(client, session, runner, feed_server):
    _logged_in(client, session)
    feed_server.serve("/broken.xml", b"down", status=503)
    runner.invoke(args=["feeds", "add", feed_server.url("/broken.xml")])
    runner.invoke(args=["feeds", "poll"])

    page = client.get("/admin/feeds").get_data(as_text=True)

    assert "failing since" in page and "1 failed check in a row" in page
    assert "503" in page


def test_feed_pages_need_an_organiser(client):
    assert client.get("/admin/feeds").status_code == 302
    assert client.post("/admin/feeds", data={"url": "https://x.example.org/"}).status_code in (
        302,
        400,
    )


def test_a_post_added_by_url_waits_for_approval_then_is_published(client, session, feed_server):
    _logged_in(client, session)
    feed_server.serve("/article", ARTICLE.encode(), headers={"Content-Type": "text/html"})

    response = client.post(
        "/admin/curation",
        data={"url": feed_server.url("/article"), "csrf_token": _token(client, "/admin/curation")},
    )

    assert response.status_code == 302
    item = session.exec(select(ContentItem)).one()
    assert item.status == ItemStatus.PENDING
    assert item.title == "Monitoring embeddings for drift"
    assert item.url == "https://blog.example.org/embedding-drift"
    assert item.summary == "How to notice when your vector space moves."
    assert item.submitted_by == "organiser@example.org"
    assert "Monitoring embeddings for drift" in client.get("/admin/curation").get_data(as_text=True)
    assert "Monitoring embeddings" not in client.get("/").get_data(as_text=True)

    client.post(
        f"/admin/curation/{item.id}/approve", data={"csrf_token": _token(client, "/admin/curation")}
    )

    session.expire_all()
    assert session.get(ContentItem, item.id).status == ItemStatus.PUBLISHED
    assert "Monitoring embeddings for drift" in client.get("/").get_data(as_text=True)


def test_a_post_that_cannot_be_fetched_is_explained(client, session, feed_server):
    _logged_in(client, session)

    response = client.post(
        "/admin/curation",
        data={"url": feed_server.url("/missing"), "csrf_token": _token(client, "/admin/curation")},
    )

    assert response.status_code == 400
    assert "could not be fetched" in response.get_data(as_text=True)
    assert session.exec(select(ContentItem)).all() == []


def test_new_feed_entries_appear_on_the_home_page_and_in_search(client, runner, feed_server):
    feed_server.serve(
        "/feed.xml",
        feed(
            {
                "guid": "1",
                "title": "Canary releases for recommender models",
                "link": "https://blog.example.org/canary",
                "description": "Route one percent of traffic to the new recommender first.",
            }
        ),
    )
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")])
    runner.invoke(args=["feeds", "poll"])

    home = client.get("/").get_data(as_text=True)
    found = client.get("/api/search?q=canary+recommender").get_json()

    assert "Canary releases for recommender models" in home
    assert found["results"][0]["title"] == "Canary releases for recommender models"


def _next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def _queue_posts(session, count: int) -> list[int]:
    ids = []
    for number in range(1, count + 1):
        data = ItemData(
            kind=ItemKind.POST,
            external_id=f"https://blog.example.org/{number}",
            title=f"Post {number}",
        )
        ids.append(curation.queue_post(session=session, data=data, submitted_by=None).id)
    session.commit()
    return ids


def test_a_long_queue_is_shown_a_page_at_a_time_down_to_the_newest_post(client, session):
    _queue_posts(session, 120)
    _logged_in(client, session)

    html = client.get("/admin/curation").get_data(as_text=True)
    assert ">Post 1<" in html and ">Post 120<" not in html  # oldest first
    while (link := _next_link(html)) is not None:
        html = client.get(link).get_data(as_text=True)
        assert 'rel="prev"' in html

    assert ">Post 120<" in html
    last = session.exec(select(ContentItem).where(ContentItem.title == "Post 120")).one()
    client.post(f"/admin/curation/{last.id}/approve", data={"csrf_token": csrf_token(html)})
    session.expire_all()
    assert session.get(ContentItem, last.id).status == ItemStatus.PUBLISHED


def test_a_link_to_one_queued_post_opens_the_page_that_shows_it(client, session):
    ids = _queue_posts(session, 120)
    _logged_in(client, session)

    html = client.get(f"/admin/curation?item={ids[99]}").get_data(as_text=True)

    assert f'id="item-{ids[99]}"' in html and ">Post 1<" not in html
    assert 'rel="prev"' in html
