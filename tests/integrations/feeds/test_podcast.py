"""read_podcast_extras(): the Podcasting 2.0 tags feedparser drops."""

from pathlib import Path

from integrations.feeds.podcast import read_podcast_extras
from tests.integrations.feeds.hostile_xml import BILLION_LAUGHS

DEMO_PODCAST = Path(__file__).parents[3] / "community" / "demo" / "content" / "podcast.xml"


def _podcast(*items: str, namespace: str = "https://podcastindex.org/namespace/1.0") -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0" xmlns:podcast="{namespace}">'
        f"<channel><title>P</title>{''.join(items)}</channel></rss>"
    ).encode()


def test_every_transcript_and_the_chapters_of_the_demo_podcast():
    extras = read_podcast_extras(DEMO_PODCAST.read_bytes())

    assert sorted(extras) == [f"practitioners-hour-s3e0{number}" for number in range(1, 5)]
    first = extras["practitioners-hour-s3e01"]
    assert first.transcripts == [
        {
            "url": "https://example.org/podcast/transcripts/s3e01.vtt",
            "type": "text/vtt",
            "language": None,
            "rel": None,
        },
        {
            "url": "https://example.org/podcast/transcripts/s3e01.srt",
            "type": "application/srt",
            "language": None,
            "rel": None,
        },
    ]
    assert first.chapters_url == "https://example.org/podcast/chapters/s3e01.json"


def test_language_and_rel_are_kept_and_relative_urls_made_absolute():
    document = _podcast(
        "<item><guid>ep1</guid>"
        '<podcast:transcript url="/t/ep1.es.vtt" type="text/vtt" language="es" rel="captions"/>'
        '<podcast:chapters url="chapters/ep1.json" type="application/json+chapters"/></item>'
    )

    found = read_podcast_extras(document, base_url="https://pod.example/feed.xml")
    extras = found["ep1"]
    assert found["https://pod.example/ep1"] is extras  # as feedparser resolves the guid

    assert extras.transcripts == [
        {
            "url": "https://pod.example/t/ep1.es.vtt",
            "type": "text/vtt",
            "language": "es",
            "rel": "captions",
        }
    ]
    assert extras.chapters_url == "https://pod.example/chapters/ep1.json"


def test_an_entry_without_guid_is_keyed_by_its_link():
    document = _podcast(
        "<item><link>https://pod.example/ep2</link>"
        '<podcast:chapters url="https://pod.example/ep2.json"/></item>'
    )

    assert list(read_podcast_extras(document)) == ["https://pod.example/ep2"]


def test_the_http_spelling_of_the_namespace_is_understood():
    document = _podcast(
        '<item><guid>ep3</guid><podcast:transcript url="https://pod.example/3.srt"/></item>',
        namespace="http://podcastindex.org/namespace/1.0",
    )

    assert read_podcast_extras(document)["ep3"].transcripts[0]["url"] == "https://pod.example/3.srt"


def test_links_that_are_not_web_addresses_are_dropped():
    document = _podcast(
        "<item><guid>ep4</guid>"
        '<podcast:transcript url="javascript:alert(1)" type="text/html"/>'
        '<podcast:chapters url="data:application/json,{}"/></item>'
    )

    assert read_podcast_extras(document) == {}


def test_entries_without_extras_are_left_out():
    assert read_podcast_extras(_podcast("<item><guid>plain</guid></item>")) == {}


def test_hostile_or_broken_xml_gives_no_extras():
    assert read_podcast_extras(BILLION_LAUGHS) == {}
    assert read_podcast_extras(b"<rss><channel><item><guid>cut off") == {}
    assert read_podcast_extras(b"") == {}
