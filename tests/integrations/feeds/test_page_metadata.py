"""read_page_metadata() and fetch_page(): what a page says about itself."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from integrations.feeds.fetching import MiB
from integrations.feeds.page_metadata import PageMetadata, fetch_page, read_page_metadata

BLOG_POST = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Ignored when og:title exists | Ops Notes</title>
<meta property="og:title" content="Evaluating LLM apps &amp; their   judges">
<meta property="og:description" content="How one team replaced spot checks.">
<meta name="description" content="The plain description loses to og:description.">
<meta property="og:site_name" content="Ops Notes">
<meta property="og:image" content="/images/cover.png">
<meta property="og:url" content="https://ops.example/og-url-loses-to-canonical">
<meta property="article:author" content="https://facebook.example/ada">
<meta name="author" content="Ada Lovelace">
<meta property="article:published_time" content="2026-10-06T07:00:00+02:00">
<link rel="canonical" href="/posts/evaluating-llm-apps">
</head><body><svg><title>an icon, not the page</title></svg><p>Text</p></body></html>"""


def test_open_graph_and_article_tags_win():
    metadata = read_page_metadata(BLOG_POST, base_url="https://ops.example/drafts/x?utm=1")

    assert metadata == PageMetadata(
        title="Evaluating LLM apps & their judges",
        description="How one team replaced spot checks.",
        canonical_url="https://ops.example/posts/evaluating-llm-apps",
        author="Ada Lovelace",
        published=datetime(2026, 10, 6, 7, 0, tzinfo=timezone(timedelta(hours=2))),
        site_name="Ops Notes",
        image_url="https://ops.example/images/cover.png",
    )


def test_plain_html_and_twitter_tags_are_the_fallbacks():
    page = """<html><head><title>
        Plain   title </title>
    <meta name="Description" content="Plain description">
    <meta name="twitter:image" content="https://cdn.example/card.png">
    <meta property="og:url" content="https://ops.example/from-og-url">
    <meta property="article:author" content="Grace Hopper">
    <meta property="article:published_time" content="2026-10-06">
    </head></html>"""

    metadata = read_page_metadata(page, base_url="https://ops.example/")

    assert (metadata.title, metadata.description) == ("Plain title", "Plain description")
    assert metadata.canonical_url == "https://ops.example/from-og-url"
    assert metadata.image_url == "https://cdn.example/card.png"
    assert metadata.author == "Grace Hopper"
    assert metadata.published == datetime(2026, 10, 6, tzinfo=UTC)


def test_a_twitter_title_beats_the_title_element():
    page = '<title>Site</title><meta name="twitter:title" content="Card title">'

    assert read_page_metadata(page, base_url="https://x.example/").title == "Card title"


def test_a_page_without_metadata_gives_nothing_rather_than_guesses():
    metadata = read_page_metadata(b"<p>just text</p>", base_url="https://x.example/")

    assert metadata == PageMetadata(None, None, None, None, None, None, None)


def test_urls_that_are_not_web_addresses_are_dropped_and_bad_dates_ignored():
    page = """<link rel="canonical" href="javascript:alert(1)">
    <meta property="og:image" content="data:image/png;base64,AAAA">
    <meta property="article:published_time" content="last Tuesday">"""

    metadata = read_page_metadata(page, base_url="https://x.example/")

    assert (metadata.canonical_url, metadata.image_url, metadata.published) == (None, None, None)


def test_bytes_are_decoded_with_the_charset_the_page_declares():
    page = '<meta charset="windows-1252"><title>“Crème” brûlée</title>'.encode("cp1252")

    assert read_page_metadata(page, base_url="https://x.example/").title == "“Crème” brûlée"


def test_fetch_page_keeps_the_first_two_mib_of_a_big_page(server, policy):
    head = b"<html><head><title>Big page</title></head><body>"
    big_page = head + b"<p>filler</p>" * (3 * MiB // 13)
    server.serve("/post", big_page, {"Content-Type": "text/html; charset=utf-8"})
    roomy = replace(policy, max_bytes=10 * MiB, deadline=5.0)

    page = fetch_page(server.url("/post"), roomy)

    assert len(page.content) == 2 * MiB
    assert server.requests[0][1]["accept"].startswith("text/html")
    assert read_page_metadata(page.content, base_url=page.url).title == "Big page"
