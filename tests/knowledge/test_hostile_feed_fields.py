"""A feed whose headers, channel or entries do not fit the database keeps being polled.

PostgreSQL refuses text longer than its column and any NUL, where SQLite stores both; each
feed here failed on every poll on PostgreSQL before its values were made to fit.
"""

import json
from html import unescape

from sqlmodel import select

from community.models import ContentItem, Source
from tests.helpers import add_organiser, log_in
from tests.knowledge.feeds import feed, rss

ENTRY = {
    "guid": "post-1",
    "title": "Shadow deployments in practice",
    "link": "https://blog.example.org/shadow",
    "description": "Run the new model beside the old one.",
}


def _add(runner, url):
    result = runner.invoke(args=["feeds", "add", url])
    assert result.exit_code == 0, result.output


def _poll(runner):
    result = runner.invoke(args=["feeds", "poll", "--all", "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def _source(session, url) -> Source:
    session.expire_all()
    return session.exec(select(Source).where(Source.url == url)).one()


def _titles(session) -> list[str]:
    return [item.title for item in session.exec(select(ContentItem).order_by(ContentItem.id))]


def test_an_over_long_etag_and_last_modified_are_dropped_and_the_feed_keeps_working(
    runner, session, feed_server
):
    body = feed(ENTRY)
    validators = {"ETag": '"' + "e" * 600 + '"', "Last-Modified": "Mon, " + "x" * 150}
    feed_server.serve("/feed.xml", body, validators)
    _add(runner, feed_server.url("/feed.xml"))

    first, second = _poll(runner) + _poll(runner)

    assert (first["status"], first["new"]) == ("new", 1)
    assert second["status"] == "unchanged"
    source = _source(session, feed_server.url("/feed.xml"))
    assert (source.etag, source.last_modified, source.last_error) == (None, None, None)
    asked_again = feed_server.requests[-1][1]
    assert "if-none-match" not in asked_again and "if-modified-since" not in asked_again
    assert _titles(session) == [ENTRY["title"]]


def test_an_over_long_or_non_web_channel_link_is_not_stored(runner, session, feed_server):
    long_link = "https://blog.example.org/" + "a" * 2100
    document = rss(ENTRY).replace("https://blog.example.org/", long_link, 1)
    feed_server.serve("/long.xml", document.encode())
    script = rss(ENTRY).replace("https://blog.example.org/", "javascript:alert(1)", 1)
    feed_server.serve("/script.xml", script.encode())
    _add(runner, feed_server.url("/long.xml"))
    _add(runner, feed_server.url("/script.xml"))

    outcomes = _poll(runner)

    assert [outcome["status"] for outcome in outcomes] == ["new", "new"]
    for path in ("/long.xml", "/script.xml"):
        source = _source(session, feed_server.url(path))
        assert (source.site_url, source.last_error) == (None, None)


def test_nul_and_control_characters_in_a_feed_are_removed_before_storing(
    runner, session, feed_server
):
    entry = {
        **ENTRY,
        "extra": [
            "<author>rosa&#0;@example.org (Rosa&#1;)</author>",
            "<category>ml&#0;ops</category>",
        ],
    }
    document = (
        rss(entry)
        .replace("<title>Practitioner Blog", "<title>Practitioner&#0; Blog")
        .replace(">post-1<", ">post&#0;-1<")
        .replace("Shadow deployments", "Shadow&#0; deploy\x01ments")
    )
    feed_server.serve("/feed.xml", document.encode())
    _add(runner, feed_server.url("/feed.xml"))

    (outcome,) = _poll(runner)

    assert (outcome["status"], outcome["new"]) == ("new", 1)
    item = session.exec(select(ContentItem)).one()
    assert item.title == "Shadow deployments in practice"
    assert item.external_id == "post-1"
    assert item.author == "rosa@example.org (Rosa)"
    assert item.tags == ["mlops"]
    assert _source(session, feed_server.url("/feed.xml")).name == "Practitioner Blog"


def test_an_over_long_enclosure_type_is_cut_to_fit(runner, session, feed_server):
    episode = {**ENTRY, "enclosure": ("https://media.example.org/1.mp3", "audio/" + "m" * 150, 9)}
    feed_server.serve("/pod.xml", feed(episode))
    _add(runner, feed_server.url("/pod.xml"))

    (outcome,) = _poll(runner)

    assert outcome["status"] == "new"
    item = session.exec(select(ContentItem)).one()
    assert item.enclosure_url == "https://media.example.org/1.mp3"
    assert item.enclosure_type == ("audio/" + "m" * 150)[:100]


def test_an_over_long_transcript_link_is_dropped_and_reading_transcripts_still_works(
    runner, session, feed_server
):
    far = "https://pod.example.org/" + "t" * 4100 + ".vtt"  # beyond what transcript_source holds
    episode = {
        **ENTRY,
        "enclosure": ("https://media.example.org/1.mp3", "audio/mpeg", 9),
        "extra": [
            f'<podcast:transcript url="{far}" type="text/vtt"/>',
            f'<podcast:transcript url="{feed_server.url("/1.srt")}" type="application/srt"/>',
        ],
    }
    feed_server.serve("/pod.xml", feed(episode))
    feed_server.serve("/1.srt", b"1\n00:00:01,000 --> 00:00:04,000\nWelcome to the show.\n")
    _add(runner, feed_server.url("/pod.xml"))
    _poll(runner)

    result = runner.invoke(args=["feeds", "transcripts", "--json"])

    assert result.exit_code == 0, result.output
    item = session.exec(select(ContentItem)).one()
    assert [entry["url"] for entry in item.transcripts] == [feed_server.url("/1.srt")]
    assert (item.transcript_error, item.transcript_passages[0]["text"]) == (
        None,
        "Welcome to the show.",
    )


def test_a_permanent_redirect_to_an_over_long_address_keeps_the_old_one(
    runner, session, feed_server
):
    far = "/new.xml?" + "a" * 2100
    feed_server.redirect("/old.xml", 301, feed_server.url(far))
    feed_server.serve("/new.xml", feed(ENTRY))
    _add(runner, feed_server.url("/old.xml"))

    (outcome,) = _poll(runner)

    assert outcome["status"] == "new"
    assert _source(session, feed_server.url("/old.xml")).last_error is None
    assert _titles(session) == [ENTRY["title"]]


def test_a_feed_moving_onto_another_feeds_address_is_paused_with_the_reason(
    client, runner, session, feed_server
):
    feed_server.serve("/blog.xml", feed(ENTRY, title="Practitioner Blog"))
    feed_server.redirect("/old-blog.xml", 301, feed_server.url("/blog.xml"))
    _add(runner, feed_server.url("/blog.xml"))
    _poll(runner)
    _add(runner, feed_server.url("/old-blog.xml"))

    outcomes = {outcome["url"]: outcome for outcome in _poll(runner)}

    kept, moved = outcomes[feed_server.url("/blog.xml")], outcomes[feed_server.url("/old-blog.xml")]
    assert kept["status"] == "unchanged"
    assert moved["status"] == "gone"
    assert "already uses" in moved["reason"]
    duplicate = _source(session, feed_server.url("/old-blog.xml"))
    assert duplicate.active is False
    assert feed_server.url("/blog.xml") in duplicate.last_error
    assert "Practitioner Blog" in duplicate.last_error
    assert _source(session, feed_server.url("/blog.xml")).active is True
    assert _titles(session) == [ENTRY["title"]]
    add_organiser(session)
    log_in(client)
    page = unescape(client.get("/admin/feeds").get_data(as_text=True))
    assert duplicate.last_error in page
