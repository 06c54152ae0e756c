import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from community.models import ContentItem, ItemStatus, Source
from community.models.types import utcnow
from tests.knowledge.feeds import feed, rss
from tests.local_http import reply

PUBLISHED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FIRST = {
    "guid": "post-1",
    "title": "Shadow deployments in practice",
    "link": "https://blog.example.org/shadow",
    "description": "<p>Run the new model beside the old one.</p>",
    "published": PUBLISHED,
}
SECOND = {
    "guid": "post-2",
    "title": "Feature stores for small teams",
    "link": "https://blog.example.org/features",
    "description": "Start with one table.",
    "published": PUBLISHED + timedelta(days=1),
}


def _poll(runner, *args):
    result = runner.invoke(args=["feeds", "poll", "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def _add(runner, url, *args):
    result = runner.invoke(args=["feeds", "add", url, *args])
    assert result.exit_code == 0, result.output


def _items(session):
    return session.exec(select(ContentItem).order_by(ContentItem.external_id)).all()


def test_first_poll_stores_entries_and_a_repeat_poll_is_a_304(runner, session, feed_server):
    body = rss(FIRST, SECOND).encode()

    @feed_server.route("/feed.xml")
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return reply(request, 304)
        return reply(request, 200, body, {"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    _add(runner, feed_server.url("/feed.xml"), "--collection", "Blogs")

    (first,) = _poll(runner)
    (second,) = _poll(runner, "--all")

    assert (first["status"], first["new"]) == ("new", 2)
    assert second["status"] == "unchanged"
    assert feed_server.requests[-1][1].get("if-none-match") == '"v1"'
    items = _items(session)
    assert [item.title for item in items] == [FIRST["title"], SECOND["title"]]
    assert items[0].published_at == PUBLISHED
    assert items[0].collection == "Blogs"
    source = session.exec(select(Source)).one()
    assert source.name == "Practitioner Blog"
    assert source.error_count == 0 and source.next_check_at > utcnow()


def test_an_edited_entry_updates_in_place_and_a_deleted_one_stays_deleted(
    runner, session, feed_server
):
    feed_server.serve("/feed.xml", feed(FIRST, SECOND))
    _add(runner, feed_server.url("/feed.xml"))
    _poll(runner)
    deleted = session.exec(select(ContentItem).where(ContentItem.external_id == "post-2")).one()
    deleted.status = ItemStatus.DELETED
    session.add(deleted)
    session.commit()
    feed_server.serve("/feed.xml", feed({**FIRST, "title": "Shadow deployments, revised"}, SECOND))

    (outcome,) = _poll(runner, "--all")

    assert (outcome["status"], outcome["new"], outcome["updated"]) == ("updated", 0, 1)
    session.expire_all()
    items = _items(session)
    assert len(items) == 2
    assert items[0].title == "Shadow deployments, revised"
    assert items[1].status == ItemStatus.DELETED


def test_entries_without_guid_are_identified_by_link_then_content(runner, session, feed_server):
    no_guid = {k: v for k, v in FIRST.items() if k != "guid"}
    bare = {"title": "Only a title", "description": "and some words"}
    feed_server.serve("/feed.xml", feed(no_guid, bare))
    _add(runner, feed_server.url("/feed.xml"))

    _poll(runner)
    _poll(runner, "--all")

    items = _items(session)
    assert len(items) == 2
    assert FIRST["link"] in {item.external_id for item in items}


def test_script_and_event_handlers_are_removed_at_ingest(runner, session, feed_server):
    hostile = {
        **FIRST,
        "description": '<p onclick="steal()">Hi<script>alert(1)</script>'
        '<img src="x" onerror="steal()"><a href="javascript:steal()">x</a></p>',
    }
    feed_server.serve("/feed.xml", feed(hostile))
    _add(runner, feed_server.url("/feed.xml"))

    _poll(runner)

    item = _items(session)[0]
    for dangerous in ("<script", "onclick", "onerror", "javascript:"):
        assert dangerous not in item.body_html
    assert "alert(1)" not in item.body_text
    assert item.body_text.startswith("Hi")


def test_a_failing_feed_records_its_error_and_backs_off_without_hurting_others(
    runner, session, feed_server
):
    feed_server.serve("/good.xml", feed(FIRST))
    feed_server.serve("/broken.xml", b"oops", status=500)
    feed_server.serve("/garbage.xml", b"this is not a feed at all <<<")
    for path in ("/broken.xml", "/good.xml", "/garbage.xml"):
        _add(runner, feed_server.url(path))

    outcomes = {o["url"].rsplit("/", 1)[1]: o for o in _poll(runner)}

    assert outcomes["good.xml"]["status"] == "new"
    assert outcomes["broken.xml"]["status"] == "error"
    assert "500" in outcomes["broken.xml"]["reason"]
    assert outcomes["garbage.xml"]["status"] == "error"
    broken = session.exec(select(Source).where(Source.url.endswith("/broken.xml"))).one()
    assert broken.error_count == 1 and "500" in broken.last_error
    first_delay = broken.next_check_at - utcnow()
    _poll(runner, "--all")
    session.expire_all()
    broken = session.get(Source, broken.id)
    assert broken.error_count == 2
    assert broken.next_check_at - utcnow() > first_delay * 1.4


def test_gone_feed_is_deactivated_and_retry_after_is_honoured(runner, session, feed_server):
    feed_server.serve("/gone.xml", status=410)
    feed_server.serve("/busy.xml", status=429, headers={"Retry-After": "7200"})
    _add(runner, feed_server.url("/gone.xml"))
    _add(runner, feed_server.url("/busy.xml"))

    outcomes = {o["url"].rsplit("/", 1)[1]: o["status"] for o in _poll(runner)}

    assert outcomes == {"gone.xml": "gone", "busy.xml": "error"}
    gone = session.exec(select(Source).where(Source.url.endswith("/gone.xml"))).one()
    busy = session.exec(select(Source).where(Source.url.endswith("/busy.xml"))).one()
    assert not gone.active and "deactivated" in gone.last_error
    assert busy.next_check_at - utcnow() >= timedelta(hours=1, minutes=59)
    assert [o["url"] for o in _poll(runner, "--all")] == [busy.url]


def test_permanent_redirect_updates_the_stored_address(runner, session, feed_server):
    feed_server.redirect("/old.xml", 301, feed_server.url("/new.xml"))
    feed_server.serve("/new.xml", feed(FIRST))
    _add(runner, feed_server.url("/old.xml"))

    _poll(runner)

    assert session.exec(select(Source)).one().url == feed_server.url("/new.xml")
    assert len(_items(session)) == 1


def test_podcast_episode_keeps_enclosure_duration_numbers_and_transcripts(
    runner, session, feed_server
):
    episode = {
        **FIRST,
        "enclosure": ("https://media.example.org/ep1.mp3", "audio/mpeg", "48000000"),
        "extra": [
            "<itunes:duration>1:02:03</itunes:duration>",
            "<itunes:episode>12</itunes:episode>",
            "<itunes:season>2</itunes:season>",
            '<podcast:transcript url="https://pod.example.org/1.vtt" type="text/vtt"/>',
            '<podcast:transcript url="https://pod.example.org/1.srt" type="application/srt"/>',
            '<podcast:chapters url="https://pod.example.org/1.json"'
            ' type="application/json+chapters"/>',
        ],
    }
    feed_server.serve("/pod.xml", feed(episode, title="Practitioners' Hour"))
    _add(runner, feed_server.url("/pod.xml"))

    _poll(runner)

    item = _items(session)[0]
    assert item.kind == "episode"
    assert (item.enclosure_url, item.enclosure_type, item.enclosure_length) == (
        "https://media.example.org/ep1.mp3",
        "audio/mpeg",
        48000000,
    )
    assert (item.duration_seconds, item.episode_number, item.season_number) == (3723, 12, 2)
    assert [t["url"] for t in item.transcripts] == [
        "https://pod.example.org/1.vtt",
        "https://pod.example.org/1.srt",
    ]
    assert item.chapters_url == "https://pod.example.org/1.json"


def test_feeds_on_private_addresses_are_refused_by_default(make_app, feed_server):
    runner = make_app(FEEDS_ALLOW_PRIVATE_NETWORKS=False).test_cli_runner()
    feed_server.serve("/feed.xml", feed(FIRST))
    _add(runner, feed_server.url("/feed.xml"))

    (outcome,) = _poll(runner)

    assert outcome["status"] == "error"
    assert "private" in outcome["reason"] or "loopback" in outcome["reason"]
    assert feed_server.requests == []


def test_adding_a_feed_twice_or_a_non_http_address_is_refused(runner):
    added = runner.invoke(args=["feeds", "add", "https://blog.example.org/feed", "--json"])
    again = runner.invoke(args=["feeds", "add", "https://blog.example.org/feed"])
    bad = runner.invoke(args=["feeds", "add", "file:///etc/passwd"])

    assert json.loads(added.stdout)["url"] == "https://blog.example.org/feed"
    assert again.exit_code != 0 and "already in the list" in again.output
    assert bad.exit_code != 0 and "not an http(s) address" in bad.output


def test_feeds_list_and_opml_export_show_the_feed_list(runner, feed_server):
    _add(runner, "https://pod.example.org/rss", "--collection", "Podcasts")
    _add(runner, "https://blog.example.org/feed")

    listing = runner.invoke(args=["feeds", "list", "--json"]).output.splitlines()
    exported = runner.invoke(args=["feeds", "export-opml"]).output

    assert [json.loads(line)["collection"] for line in listing] == [None, "Podcasts"]
    assert 'xmlUrl="https://pod.example.org/rss"' in exported
    assert "Podcasts" in exported


def test_javascript_links_and_over_long_fields_are_made_safe_to_store(runner, session, feed_server):
    hostile = {
        "guid": "x" * 900,
        "title": "T" * 1500,
        "link": "javascript:alert(document.domain)",
        "description": "fine",
    }
    feed_server.serve("/feed.xml", feed(hostile, FIRST))
    _add(runner, feed_server.url("/feed.xml"))

    (outcome,) = _poll(runner)

    assert outcome["status"] == "new", outcome
    long_one = next(i for i in _items(session) if i.external_id.startswith("sha256:"))
    assert long_one.url is None
    assert len(long_one.title) == 1000
    _poll(runner, "--all")
    assert len(_items(session)) == 2


def test_a_feed_removed_while_a_poll_is_queued_is_skipped(app, runner, session, feed_server):
    from community.db import get_engine
    from community.knowledge.polling import PollSettings, poll_feeds

    feed_server.serve("/feed.xml", feed(FIRST))
    _add(runner, feed_server.url("/feed.xml"))
    feed_id = session.exec(select(Source)).one().id

    outcomes = poll_feeds(
        engine=get_engine(app),
        feed_ids=[feed_id + 1000, feed_id],
        settings=PollSettings.from_config(app.extensions["settings"]),
    )

    assert [o.status for o in outcomes] == ["skipped", "new"]
