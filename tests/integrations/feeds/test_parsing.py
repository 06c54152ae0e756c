"""parse_feed(): every feed dialect, broken and hostile documents, stable identities."""

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from integrations.feeds.parsing import FeedParseError, parse_duration, parse_feed
from tests.integrations.feeds.hostile_xml import BILLION_LAUGHS, EXTERNAL_ENTITY, QUADRATIC_BLOWUP

DEMO_PODCAST = Path(__file__).parents[3] / "community" / "demo" / "content" / "podcast.xml"

RSS_091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old School</title><link>https://old.example/</link>
<description>d</description><language>en</language>
<item><title>First post</title><link>https://old.example/1</link>
<description>Hello from 1999</description></item></channel></rss>"""

RSS_092 = b"""<?xml version="1.0"?>
<rss version="0.92"><channel><title>Old School</title><link>https://old.example/</link>
<description>d</description>
<item><title>First post</title><link>https://old.example/1</link>
<description>Hello from 1999</description>
<enclosure url="https://old.example/1.mp3" length="1234" type="audio/mpeg"/></item>
</channel></rss>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old School</title>
<link>https://old.example/</link><description>d</description>
<items><rdf:Seq><rdf:li resource="https://old.example/1"/></rdf:Seq></items></channel>
<item rdf:about="https://old.example/1"><title>First post</title>
<link>https://old.example/1</link><description>Hello from 1999</description>
<dc:date>2024-01-02T03:04:05Z</dc:date><dc:creator>Ada</dc:creator></item></rdf:RDF>"""

RSS_20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Old School</title><link>https://old.example/</link>
<description>d</description>
<item><title>First post</title><link>https://old.example/1</link>
<guid isPermaLink="false">post-1</guid><pubDate>Tue, 02 Jan 2024 03:04:05 +0000</pubDate>
<description>Hello from 1999</description><category>ml</category><category>ops</category>
<author>ada@old.example (Ada)</author></item></channel></rss>"""

ATOM_10 = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Old School</title>
<link href="https://old.example/"/><id>urn:feed</id><updated>2024-01-02T03:04:05Z</updated>
<entry><title>First post</title><link rel="alternate" href="/1"/><id>urn:post-1</id>
<updated>2024-01-02T03:04:05Z</updated><author><name>Ada</name></author>
<summary>Hello from 1999</summary>
<content type="html">&lt;p&gt;Hello from &lt;b&gt;1999&lt;/b&gt;&lt;/p&gt;</content>
</entry></feed>"""


@pytest.mark.parametrize(
    ("document", "identity"),
    [
        (RSS_091, "https://old.example/1"),
        (RSS_092, "https://old.example/1"),
        (RSS_10, "https://old.example/1"),
        (RSS_20, "post-1"),
        (ATOM_10, "urn:post-1"),
    ],
    ids=["rss-0.91", "rss-0.92", "rss-1.0", "rss-2.0", "atom-1.0"],
)
def test_every_feed_dialect_gives_the_same_entry(document, identity):
    feed = parse_feed(document, base_url="https://old.example/feed")

    assert (feed.title, feed.site_url) == ("Old School", "https://old.example/")
    [entry] = feed.entries
    assert (entry.identity, entry.title, entry.link) == (
        identity,
        "First post",
        "https://old.example/1",
    )
    assert "Hello from" in (entry.summary_html + entry.content_html)


def test_rss_2_details_are_kept():
    [entry] = parse_feed(RSS_20).entries

    assert entry.published == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert entry.tags == ["ml", "ops"]
    assert entry.author == "ada@old.example (Ada)"


def test_atom_content_and_relative_links():
    [entry] = parse_feed(ATOM_10, base_url="https://old.example/feed.atom").entries

    assert entry.link == "https://old.example/1"
    assert entry.content_html == "<p>Hello from <b>1999</b></p>"
    assert (entry.author, entry.published) == ("Ada", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))


def test_the_demo_podcast_reads_completely():
    feed = parse_feed(DEMO_PODCAST.read_bytes())

    assert feed.title == "Practitioners' Hour"
    assert [entry.identity for entry in feed.entries] == [
        f"practitioners-hour-s3e0{number}" for number in range(1, 5)
    ]
    first = feed.entries[0]
    assert first.duration_seconds == 52 * 60 + 14
    assert (first.season_number, first.episode_number) == (3, 1)
    assert first.enclosure_url.endswith("s3e01-evaluating-llm-apps.mp3")
    assert (first.enclosure_type, first.enclosure_length) == ("audio/mpeg", 50144000)
    assert first.image_url == "https://media.example.org/practitioners-hour/s3e01.jpg"
    assert feed.entries[1].duration_seconds == 47 * 60 + 30  # written MM:SS
    assert [t["type"] for t in first.transcripts] == ["text/vtt", "application/srt"]
    assert first.chapters_url == "https://example.org/podcast/chapters/s3e01.json"


def _rss(*items: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (
        f'{declaration}<rss version="2.0"><channel><title>Blog</title>'
        f"<link>https://blog.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


def _item(title: str, guid: str | None = None, link: str | None = None, body: str = "") -> str:
    parts = [f"<title>{title}</title>", f"<description>{body}</description>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link:
        parts.append(f"<link>{link}</link>")
    return "<item>" + "".join(parts) + "</item>"


def test_identity_falls_back_from_guid_to_link_to_enclosure_to_content():
    enclosure = '<enclosure url="https://cdn.example/3.mp3" type="audio/mpeg" length="1"/>'
    document = _rss(
        _item("One", guid="g1", link="https://blog.example/1"),
        _item("Two", link="https://blog.example/2"),
        f"<item><title>Three</title>{enclosure}</item>",
        _item("Four", body="only words"),
    )

    identities = [entry.identity for entry in parse_feed(document).entries]

    assert identities[:3] == ["g1", "https://blog.example/2", "https://cdn.example/3.mp3"]
    assert len(identities[3]) == 16  # a content hash
    assert parse_feed(document).entries[3].identity == identities[3]


def test_repeated_guids_keep_every_entry_with_identities_stable_across_polls():
    older, newer = _item("Older", guid="same"), _item("Newer", guid="same")
    first_poll = parse_feed(_rss(older, newer)).entries
    second_poll = parse_feed(_rss(_item("Newest", guid="fresh"), older, newer)).entries

    first_identities = [entry.identity for entry in first_poll]
    assert len(set(first_identities)) == 2
    assert [entry.identity for entry in second_poll[1:]] == first_identities


def test_entries_alike_in_every_respect_are_kept_once():
    same = _item("Same", guid="g", body="same words")

    entries = parse_feed(_rss(same, same, same)).entries

    assert len(entries) == 1


def test_an_entry_without_guid_keeps_its_identity_wherever_it_moves():
    lonely = _item("No guid, no link", body="stable words")

    before = parse_feed(_rss(lonely, _item("Other", guid="o"))).entries[0]
    after = parse_feed(_rss(_item("New", guid="n"), _item("Other", guid="o"), lonely)).entries[2]

    assert before.identity == after.identity


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_rss(_item("Crème brûlée")).replace(b"UTF-8", b"ISO-8859-1"), "Crème brûlée"),
        (
            _rss(_item("Crème brûlée")).decode().encode("cp1252"),  # declared UTF-8
            "Crème brûlée",
        ),
        (
            _rss("<item><title>Crème brûlée</title><guid>1</guid></item>", declaration=""),
            "Crème brûlée",
        ),
        (_rss(_item("“Smart” quotes"), declaration="").decode().encode("cp1252"), "“Smart” quotes"),
        (
            _rss(_item("Привет"), declaration='<?xml version="1.0" encoding="windows-1251"?>')
            .decode()
            .encode("cp1251"),
            "Привет",
        ),
        (_rss(_item("Crème")).replace(b"UTF-8", b"klingon"), "Crème"),
        (_rss(_item("Crème"), declaration="").decode().encode("utf-16"), "Crème"),
    ],
    ids=[
        "utf8-declared-latin1",
        "cp1252-declared-utf8",
        "utf8-undeclared",
        "cp1252-undeclared",
        "cp1251-declared",
        "unknown-encoding-declared",
        "utf16-with-bom",
    ],
)
def test_wrong_or_missing_encoding_declarations_still_read_right(document, expected):
    [entry] = parse_feed(document, base_url="https://blog.example/feed").entries

    assert entry.title == expected


def test_a_malformed_document_with_entries_keeps_them():
    broken = _rss(_item("Fish & Chips", guid="a"), "<item><title>Unclosed<guid>b</guid></item>")

    entries = parse_feed(broken).entries

    assert entries[0].title == "Fish & Chips"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"<rss><channel><title>broken", "not a readable RSS or Atom feed"),
        (b"", "the document is empty"),
        (b"<!DOCTYPE html><html><head><title>Blog</title></head></html>", "serves a web page"),
        (b'<?xml version="1.0"?><catalog><book/></catalog>', "not an RSS or Atom feed"),
    ],
    ids=["truncated", "empty", "html-page", "other-xml"],
)
def test_a_document_without_entries_raises_a_readable_reason(document, reason):
    with pytest.raises(FeedParseError, match=reason):
        parse_feed(document)


def test_a_body_that_names_a_local_file_is_not_read_from_disk(tmp_path):
    secret_feed = tmp_path / "secret.xml"
    secret_feed.write_bytes(_rss(_item("Secret from the server's disk", guid="s")))

    with pytest.raises(FeedParseError):
        parse_feed(str(secret_feed).encode())


@pytest.mark.parametrize(
    "document",
    [BILLION_LAUGHS, QUADRATIC_BLOWUP, EXTERNAL_ENTITY],
    ids=["billion-laughs", "quadratic-blowup", "external-entity"],
)
def test_entities_are_never_expanded(document):
    started = time.monotonic()
    try:
        entries = parse_feed(document).entries
    except FeedParseError:
        entries = []

    assert time.monotonic() - started < 2
    for entry in entries:
        text = entry.title + entry.summary_html + entry.content_html
        assert len(text) < 200_000
        assert "root:" not in text


def test_an_entity_that_stands_for_one_character_still_works():
    document = _rss(_item("a&mdash;b", guid="g")).replace(
        b"<rss", b'<!DOCTYPE rss [<!ENTITY mdash "&#8212;">]>\n<rss', 1
    )

    [entry] = parse_feed(document).entries

    assert entry.title == "a\u2014b"


def test_scripts_and_event_handlers_do_not_survive_and_nothing_breaks():
    hostile = (
        "&lt;p onclick=&quot;alert(1)&quot;&gt;kept words&lt;/p&gt;"
        "&lt;script&gt;alert(2)&lt;/script&gt;&lt;img src=x onerror=alert(3)&gt;"
        "&lt;a href=&quot;javascript:alert(4)&quot;&gt;link&lt;/a&gt;"
    )
    document = _rss(_item("x &lt;script&gt;alert(5)&lt;/script&gt;", guid="g", body=hostile))

    [entry] = parse_feed(document).entries

    assert "kept words" in entry.summary_html
    for dangerous in ("<script", "onclick", "onerror", "javascript:"):
        assert dangerous not in entry.summary_html
    # titles are plain text: markup arrives as characters, for the renderer to escape
    assert entry.title == "x <script>alert(5)</script>"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("01:02:03", 3723),
        ("47:30", 2850),
        ("3600", 3600),
        ("90.5", 90),
        (" 00:00:59 ", 59),
        (1800, 1800),
        ("", None),
        (None, None),
        ("abc", None),
        ("1:2:3:4", None),
        ("-5", None),
        ("nan", None),
        ("inf", None),
        ("1e9", None),
        ("99999999999", None),  # beyond what the database stores
    ],
)
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds


def test_numbers_out_of_range_are_dropped_not_stored():
    document = _rss(
        "<item><title>Huge</title><guid>g</guid>"
        '<enclosure url="https://cdn.example/a.mp3" type="audio/mpeg" length="99999999999"/>'
        '<itunes:episode xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
        "123456789012</itunes:episode></item>"
    )

    [entry] = parse_feed(document).entries

    assert (entry.enclosure_length, entry.episode_number) == (None, None)
