"""parse_opml() and build_opml(): subscription lists in and out, groups as collections."""

import pytest

from integrations.feeds.opml import OpmlError, OpmlFeed, build_opml, parse_opml

EXPORTED_BY_A_READER = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline type="rss" text="Loose Feed" xmlUrl="https://loose.example/feed"/>
    <outline text="Blogs" title="Blogs">
      <outline type="rss" text="Ops Notes" title="Ops Notes" xmlUrl="https://ops.example/rss"
               htmlUrl="https://ops.example/"/>
      <outline type="rss" title="Only a title" xmlURL="https://titled.example/atom"/>
      <outline type="rss" xmlUrl="https://untitled.example/feed"/>
    </outline>
    <outline title="Podcasts">
      <outline text="Interviews">
        <outline type="rss" text="Practitioners' Hour" xmlUrl="https://pod.example/feed"/>
      </outline>
      <outline type="rss" text="Ops Notes again" xmlUrl="https://ops.example/rss"/>
    </outline>
  </body>
</opml>"""


def test_groups_become_collections_and_feeds_appear_once():
    feeds = parse_opml(EXPORTED_BY_A_READER)

    assert feeds == [
        OpmlFeed("https://loose.example/feed", "Loose Feed", None),
        OpmlFeed("https://ops.example/rss", "Ops Notes", "Blogs", "https://ops.example/"),
        OpmlFeed("https://titled.example/atom", "Only a title", "Blogs"),
        OpmlFeed("https://untitled.example/feed", "https://untitled.example/feed", "Blogs"),
        OpmlFeed("https://pod.example/feed", "Practitioners' Hour", "Interviews"),
    ]


def test_build_then_parse_gives_back_the_same_feeds():
    feeds = [
        OpmlFeed("https://loose.example/feed", "Loose & Free", None),
        OpmlFeed("https://ops.example/rss?a=1&b=2", 'Ops "Notes"', "Blogs", "https://ops.example/"),
        OpmlFeed("https://pod.example/feed", "Practitioners' Hour", "Podcasts"),
        OpmlFeed("https://ml.example/feed", "<ML> Weekly", "Blogs"),
    ]

    document = build_opml(feeds, title="Community feeds")

    assert sorted(parse_opml(document), key=lambda feed: feed.url) == sorted(
        feeds, key=lambda feed: feed.url
    )


def test_build_groups_feeds_by_collection_with_loose_feeds_first():
    document = build_opml(
        [
            OpmlFeed("https://a.example/feed", "A", "Blogs"),
            OpmlFeed("https://b.example/feed", "B", None),
            OpmlFeed("https://c.example/feed", "C", "Blogs"),
        ],
        title="Community feeds",
    )

    assert document.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b"<title>Community feeds</title>" in document
    assert document.count(b'text="Blogs"') == 1
    assert [feed.url for feed in parse_opml(document)] == [
        "https://b.example/feed",
        "https://a.example/feed",
        "https://c.example/feed",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<opml><body><outline", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'<rss version="2.0"><channel/></rss>', "not OPML: its root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "has no <body>"),
        (
            b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body>'
            b'<outline text="&a;" xmlUrl="https://a.example/"/></body></opml>',
            "declares XML entities",
        ),
    ],
    ids=["truncated", "empty", "a-feed-not-opml", "no-body", "entities"],
)
def test_bad_files_raise_a_clear_message(document, message):
    with pytest.raises(OpmlError, match=message):
        parse_opml(document)
