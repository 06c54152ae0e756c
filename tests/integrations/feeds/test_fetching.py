"""fetch() against a real local server: conditional GET, redirects and HTTP errors."""

import gzip
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from integrations.feeds.fetching import FetchError, fetch
from tests.local_http import reply

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
LAST_MODIFIED = "Tue, 06 Oct 2026 07:00:00 GMT"


def test_a_plain_fetch_returns_the_body_and_its_validators(server, policy):
    server.serve(
        "/feed",
        FEED,
        {"ETag": '"v1"', "Last-Modified": LAST_MODIFIED, "Content-Type": "application/rss+xml"},
    )

    result = fetch(server.url("/feed"), policy=policy)

    assert (result.status, result.content, result.url) == (200, FEED, server.url("/feed"))
    assert (result.etag, result.last_modified) == ('"v1"', LAST_MODIFIED)
    assert result.content_type == "application/rss+xml"
    assert result.new_permanent_url is None
    _, headers = server.requests[0]
    assert headers["user-agent"] == policy.user_agent
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_an_etag_makes_the_next_fetch_conditional(server, policy):
    @server.route("/feed")
    def answer(request):
        if request.headers.get("If-None-Match") == '"v1"':
            reply(request, 304)  # no ETag repeated: the client must keep its own
        else:
            reply(request, 200, FEED, {"ETag": '"v1"'})

    first = fetch(server.url("/feed"), policy=policy)
    second = fetch(server.url("/feed"), etag=first.etag, policy=policy)

    assert (second.status, second.content, second.etag) == (304, None, '"v1"')
    assert server.requests[1][1]["if-none-match"] == '"v1"'


def test_last_modified_makes_the_next_fetch_conditional(server, policy):
    @server.route("/feed")
    def answer(request):
        if request.headers.get("If-Modified-Since") == LAST_MODIFIED:
            reply(request, 304, headers={"Last-Modified": LAST_MODIFIED})
        else:
            reply(request, 200, FEED, {"Last-Modified": LAST_MODIFIED})

    first = fetch(server.url("/feed"), policy=policy)
    second = fetch(server.url("/feed"), last_modified=first.last_modified, policy=policy)

    assert (second.status, second.content, second.last_modified) == (304, None, LAST_MODIFIED)
    assert server.requests[1][1]["if-modified-since"] == LAST_MODIFIED


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_gives_the_new_url_to_store(server, policy, status):
    server.redirect("/old", status, "/new")
    server.serve("/new", FEED)

    result = fetch(server.url("/old"), policy=policy)

    assert result.content == FEED
    assert result.url == result.new_permanent_url == server.url("/new")


@pytest.mark.parametrize("status", [302, 303, 307])
def test_a_temporary_redirect_is_followed_but_keeps_the_stored_url(server, policy, status):
    server.redirect("/feed", status, server.url("/today"))
    server.serve("/today", FEED)

    result = fetch(server.url("/feed"), policy=policy)

    assert (result.content, result.url) == (FEED, server.url("/today"))
    assert result.new_permanent_url is None


def test_one_temporary_hop_in_a_chain_keeps_the_stored_url(server, policy):
    server.redirect("/a", 301, "/b")
    server.redirect("/b", 302, "/c")
    server.serve("/c", FEED)

    result = fetch(server.url("/a"), policy=policy)

    assert result.url == server.url("/c")
    assert result.new_permanent_url is None


def test_a_redirect_loop_is_an_error(server, policy):
    server.redirect("/a", 302, "/b")
    server.redirect("/b", 302, "/a")

    with pytest.raises(FetchError, match="redirect loop"):
        fetch(server.url("/a"), policy=policy)
    assert server.paths_requested() == ["/a", "/b"]


def test_more_redirects_than_the_policy_allows_is_an_error(server, policy):
    for hop in range(10):
        server.redirect(f"/hop{hop}", 302, f"/hop{hop + 1}")

    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(server.url("/hop0"), policy=policy)
    assert len(server.requests) == 6  # the first URL and five redirects, no more


def test_exactly_as_many_redirects_as_allowed_is_fine(server, policy):
    for hop in range(5):
        server.redirect(f"/hop{hop}", 301, f"/hop{hop + 1}")
    server.serve("/hop5", FEED)

    result = fetch(server.url("/hop0"), policy=policy)

    assert result.new_permanent_url == server.url("/hop5")


def test_a_redirect_without_a_location_is_an_error(server, policy):
    server.serve("/feed", status=302)

    with pytest.raises(FetchError, match="without a Location"):
        fetch(server.url("/feed"), policy=policy)


def test_410_says_the_feed_is_gone(server, policy):
    server.serve("/feed", status=410)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    assert (caught.value.gone, caught.value.status) == (True, 410)
    assert "410" in caught.value.reason


def test_429_passes_on_retry_after_in_seconds(server, policy):
    server.serve("/feed", headers={"Retry-After": "120"}, status=429)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    assert (caught.value.status, caught.value.retry_after, caught.value.gone) == (429, 120, False)
    assert "429" in caught.value.reason and "120 s" in caught.value.reason


def test_503_passes_on_retry_after_given_as_an_http_date(server, policy):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    server.serve("/feed", headers={"Retry-After": later}, status=503)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    assert caught.value.status == 503
    assert 80 <= caught.value.retry_after <= 90


def test_a_retry_after_of_years_is_capped_at_a_week(server, policy):
    server.serve("/feed", headers={"Retry-After": "9" * 20}, status=429)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    assert caught.value.retry_after == 7 * 24 * 3600


@pytest.mark.parametrize(
    ("status", "words"),
    [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found"), (403, "refused")],
)
def test_other_error_statuses_name_the_status(server, policy, status, words):
    server.serve("/feed", b"<h1>oops</h1>", status=status)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    assert caught.value.status == status
    assert words in caught.value.reason
    assert (caught.value.gone, caught.value.retry_after) == (False, None)


def test_a_gzipped_body_arrives_decompressed(server, policy):
    server.serve("/feed", gzip.compress(FEED), {"Content-Encoding": "gzip"})

    result = fetch(server.url("/feed"), policy=policy)

    assert result.content == FEED
    assert server.requests[0][1]["accept-encoding"] == "gzip"


def test_a_corrupt_gzip_body_is_an_error(server, policy):
    not_gzip = b"\x1f\x8b\x08\x00" + b"not really gzip" * 10
    server.serve("/feed", not_gzip, {"Content-Encoding": "gzip"})

    with pytest.raises(FetchError, match="corrupt compressed body"):
        fetch(server.url("/feed"), policy=policy)


def test_a_closed_port_is_a_connection_error(policy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    with pytest.raises(FetchError, match="could not connect to 127.0.0.1"):
        fetch(f"http://127.0.0.1:{closed_port}/feed", policy=policy)
