"""Feeds as organisers see them: titles, states, item counts, and removal that asks first."""

import re
from datetime import UTC, datetime

import time_machine
from sqlmodel import select

from community.models import ContentItem, Source
from tests.helpers import add_organiser, csrf_token, log_in
from tests.knowledge.feeds import feed

ENTRY = {"guid": "1", "title": "Shadow deployments", "link": "https://blog.example.org/shadow"}
OTHER = {"guid": "2", "title": "Feature flags for models", "link": "https://blog.example.org/ff"}


def _row(html: str, feed_id: int) -> str:
    found = re.search(rf'<li class="card" id="feed-{feed_id}">(.*?)</li>', html, re.S)
    assert found, f"feed {feed_id} is not listed"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def _feed(session, url: str) -> Source:
    session.expire_all()
    return session.exec(select(Source).where(Source.url == url)).one()


def test_feeds_show_their_title_state_since_when_and_items_in_words(
    client, session, runner, feed_server
):
    add_organiser(session)
    log_in(client)
    feed_server.serve("/one.xml", feed(ENTRY, title="Shipping Models"))
    feed_server.serve("/two.xml", feed(ENTRY, OTHER, title="Platform Notes"))
    feed_server.serve("/down.xml", b"down", status=503)
    for path in ("/one.xml", "/two.xml", "/down.xml"):
        runner.invoke(args=["feeds", "add", feed_server.url(path)])
    with time_machine.travel(datetime(2026, 12, 1, 9, 30, tzinfo=UTC), tick=False):
        runner.invoke(args=["feeds", "poll", "--all"])
    with time_machine.travel(datetime(2026, 12, 1, 11, 0, tzinfo=UTC), tick=False):
        runner.invoke(args=["feeds", "poll", "--all"])
    one, two = (
        _feed(session, feed_server.url("/one.xml")),
        _feed(session, feed_server.url("/two.xml")),
    )
    down = _feed(session, feed_server.url("/down.xml"))
    token = csrf_token(client.get("/admin/feeds").get_data(as_text=True))
    client.post(f"/admin/feeds/{two.id}/pause", data={"csrf_token": token})

    html = client.get("/admin/feeds").get_data(as_text=True)

    assert "3 feeds" in html
    assert _row(html, one.id).startswith("Shipping Models")
    assert "State ok Items 1 item Collection" in _row(html, one.id)
    assert "State paused Items 2 items Collection" in _row(html, two.id)
    failing = _row(html, down.id)
    # since the first failure, not the last
    assert "State failing since 2026-12-01 09:30 2 failed checks in a row Last error:" in failing
    assert "503" in failing and "Items 0 items" in failing


def test_a_feed_that_works_again_is_ok_and_forgets_when_it_failed(
    client, session, runner, feed_server
):
    add_organiser(session)
    log_in(client)
    feed_server.serve("/flaky.xml", b"down", status=503)
    runner.invoke(args=["feeds", "add", feed_server.url("/flaky.xml")])
    runner.invoke(args=["feeds", "poll", "--all"])
    feed_server.serve("/flaky.xml", feed(ENTRY))
    runner.invoke(args=["feeds", "poll", "--all"])
    flaky = _feed(session, feed_server.url("/flaky.xml"))

    row = _row(client.get("/admin/feeds").get_data(as_text=True), flaky.id)

    assert flaky.failing_since is None
    assert "State ok" in row and "failing" not in row and "Last error" not in row


def test_remove_asks_first_and_says_how_many_items_go_with_the_feed(
    client, session, runner, feed_server
):
    add_organiser(session)
    log_in(client)
    feed_server.serve("/feed.xml", feed(ENTRY, OTHER, title="Platform Notes"))
    runner.invoke(args=["feeds", "add", feed_server.url("/feed.xml")])
    runner.invoke(args=["feeds", "poll", "--all"])
    source = _feed(session, feed_server.url("/feed.xml"))
    source_id, url = source.id, source.url
    feeds_page = client.get("/admin/feeds").get_data(as_text=True)
    assert f'href="/admin/feeds/{source.id}/remove"' in feeds_page  # a link, not a button

    question = client.get(f"/admin/feeds/{source.id}/remove").get_data(as_text=True)

    assert "Remove “Platform Notes”?" in question
    assert "Removing the feed also deletes its 2 items" in question
    assert "none of them is kept" in question
    assert re.search(r"<button type=\"submit\">Pause it, keep the items</button>", question)
    assert 'class="button-danger">Remove the feed and 2 items</button>' in question
    assert _feed(session, url)  # asking removed nothing

    response = client.post(
        f"/admin/feeds/{source_id}/remove", data={"csrf_token": csrf_token(question)}
    )

    assert response.status_code == 302
    assert "“Platform Notes” removed with its 2 items." in client.get("/admin/feeds").get_data(
        as_text=True
    )
    session.expire_all()
    assert session.exec(select(Source).where(Source.url == url)).first() is None
    assert session.exec(select(ContentItem)).all() == []
    assert client.get("/api/search?q=shadow+deployments").get_json()["results"] == []


def test_a_removal_without_its_form_token_removes_nothing(client, session, runner):
    add_organiser(session)
    log_in(client)
    runner.invoke(args=["feeds", "add", "https://blog.example.org/feed.xml"])
    source = _feed(session, "https://blog.example.org/feed.xml")

    response = client.post(f"/admin/feeds/{source.id}/remove", data={})

    assert response.status_code == 400
    assert _feed(session, "https://blog.example.org/feed.xml")


def test_feeds_list_prints_a_header_and_aligned_columns(runner, feed_server):
    feed_server.serve("/one.xml", feed(ENTRY, title="Shipping Models"))
    feed_server.serve("/down.xml", b"down", status=503)
    runner.invoke(args=["feeds", "add", feed_server.url("/one.xml"), "--collection", "Blogs"])
    runner.invoke(args=["feeds", "add", feed_server.url("/down.xml")])
    runner.invoke(args=["feeds", "poll", "--all"])

    lines = runner.invoke(args=["feeds", "list"]).stdout.splitlines()

    assert len(lines) == 3
    header = lines[0]
    assert header.split() == ["ID", "STATE", "ITEMS", "COLLECTION", "NEXT", "CHECK", "(UTC)"] + [
        "FEED",
        "LAST",
        "ERROR",
    ]
    for column in ("STATE", "COLLECTION", "NEXT CHECK", "FEED"):
        starts = {line.index(_cell(line, header, column)) for line in lines}
        assert starts == {header.index(column)}, f"{column} is not aligned:\n" + "\n".join(lines)
    working = next(line for line in lines if "Shipping Models <http" in line)
    down = next(line for line in lines if "/down.xml>" in line)
    assert " ok " in working and "Blogs" in working
    assert "failing since" in down and "503" in down


def _cell(line: str, header: str, column: str) -> str:
    """The text of `line` under the header's `column`."""
    start = header.index(column)
    return line[start:].split("  ")[0]
