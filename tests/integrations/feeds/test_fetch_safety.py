"""fetch() refuses what could hurt the server: private networks, huge or endless bodies,
slow servers, other schemes."""

import gzip
import ssl
import threading
import time
import tracemalloc
from dataclasses import replace

import pytest
import trustme

from integrations.feeds.fetching import FetchError, FetchPolicy, MiB, fetch, is_public_address
from tests.local_http import FeedServer

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://127.0.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",  # multicast
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
    ],
)
def test_private_addresses_are_refused_without_connecting(url, connections):
    with pytest.raises(FetchError, match="private address"):
        fetch(url)
    assert connections == []


def test_localhost_is_refused_by_default(server, connections):
    server.serve("/feed", FEED)

    with pytest.raises(FetchError, match=r"localhost resolves to a private address"):
        fetch(server.url("/feed", host="localhost"))

    assert connections == [] and server.requests == []


def test_allowing_private_networks_reaches_a_local_server(server):
    server.serve("/feed", FEED)
    relaxed = FetchPolicy(allow_private_networks=True, deadline=5)

    assert fetch(server.url("/feed", host="localhost"), policy=relaxed).content == FEED


def test_an_allowed_network_opens_only_itself(policy, connections):
    with pytest.raises(FetchError, match=r"127\.0\.0\.2 is a private address"):
        fetch("http://127.0.0.2/feed", policy=policy)
    assert connections == []


@pytest.mark.parametrize("target", ["http://10.0.0.1/feed", "http://169.254.169.254/latest/"])
def test_a_redirect_to_a_private_address_is_refused_without_connecting(
    server, policy, connections, target
):
    server.redirect("/feed", 302, target)

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed"), policy=policy)

    private = target.split("/")[2]
    assert caught.value.reason == f"redirect to a private address ({private}) refused"
    assert connections == [("127.0.0.1", server.port)]


def test_a_redirect_to_another_scheme_is_refused(server, policy, connections):
    server.redirect("/feed", 302, "file:///etc/passwd")

    with pytest.raises(FetchError, match="redirect to a file: URL refused"):
        fetch(server.url("/feed"), policy=policy)
    assert connections == [("127.0.0.1", server.port)]


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://example.org/"]
)
def test_only_http_and_https_are_fetched(url, connections):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url)
    assert connections == []


def test_a_url_without_scheme_says_how_to_fix_it():
    with pytest.raises(FetchError, match="start it with https://"):
        fetch("example.org/feed.xml")


def test_every_address_of_a_host_must_be_public(dns, policy, connections):
    dns.answer("mixed.test", ["127.0.0.1", "10.0.0.1"])

    with pytest.raises(FetchError) as caught:
        fetch("http://mixed.test/feed", policy=policy)

    assert caught.value.reason == "mixed.test resolves to a private address (10.0.0.1); refused"
    assert connections == []


def test_the_connection_goes_to_the_address_that_was_checked(server, dns, policy, connections):
    # the first answer passes the check; a rebinding DNS then points the name inside
    dns.answer("rebinding.test", ["127.0.0.1"], ["10.0.0.1"])
    server.serve("/feed", FEED)

    result = fetch(server.url("/feed", host="rebinding.test"), policy=policy)

    assert result.content == FEED
    assert dns.lookups == ["rebinding.test"]
    assert connections == [("127.0.0.1", server.port)]
    assert server.requests[0][1]["host"] == f"rebinding.test:{server.port}"


def test_an_unknown_host_is_reported_as_such(dns, policy):
    dns.answer("missing.test", [])

    with pytest.raises(FetchError, match=r"the server missing\.test could not be found"):
        fetch("http://missing.test/feed", policy=policy)


def test_https_to_a_pinned_address_still_verifies_the_host_name(dns, connections, tls):
    dns.answer("feeds.test", ["127.0.0.1"])
    with tls.server(certificate_for="feeds.test") as server:
        server.serve("/feed", FEED)

        result = fetch(server.url("/feed", host="feeds.test"), policy=tls.policy)

    assert result.content == FEED
    assert connections == [("127.0.0.1", server.port)]


def test_https_with_a_certificate_for_another_name_is_refused(dns, tls):
    dns.answer("feeds.test", ["127.0.0.1"])
    with tls.server(certificate_for="elsewhere.test") as server:
        server.serve("/feed", FEED)

        with pytest.raises(FetchError, match="could not connect to feeds.test.*certificate"):
            fetch(server.url("/feed", host="feeds.test"), policy=tls.policy)


def test_a_long_body_is_cut_off_at_the_cap_without_reading_it_all(server, policy):
    sent = _stream_endless_body(server, "/huge", total=50 * MiB)

    with pytest.raises(FetchError, match="larger than 1 MiB"):
        fetch(server.url("/huge"), policy=policy)

    assert sent.finished.wait(5)
    assert sent.count < 16 * MiB


def test_a_declared_length_over_the_cap_is_refused_before_reading(server, policy):
    sent = _stream_endless_body(server, "/huge", total=50 * MiB, declare_length=True)

    with pytest.raises(FetchError, match=r"larger than 1 MiB \(50 MiB\)"):
        fetch(server.url("/huge"), policy=policy)

    assert sent.finished.wait(5)
    assert sent.count < 16 * MiB


def test_a_gzip_bomb_is_stopped_at_the_cap_without_inflating_it(server, policy):
    bomb = gzip.compress(bytes(64 * MiB), compresslevel=9)
    server.serve("/feed", bomb, {"Content-Encoding": "gzip"})
    assert len(bomb) < policy.max_bytes  # small on the wire: only inflating shows its size

    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="larger than 1 MiB"):
            fetch(server.url("/feed"), policy=policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB


@pytest.mark.parametrize("sends_headers", [True, False])
def test_a_server_that_stalls_is_cut_off_by_the_read_timeout(server, policy, sends_headers):
    @server.route("/feed")
    def stall(request):
        if sends_headers:
            request.send_response(200)
            request.send_header("Content-Length", "1000")
            request.end_headers()
            request.wfile.write(b"<rss>")
        server.stop.wait(10)

    started = time.monotonic()
    with pytest.raises(FetchError, match="stopped sending for 0.5 s"):
        fetch(server.url("/feed"), policy=policy)
    assert time.monotonic() - started < 1.5


@pytest.mark.slow  # runs until the 2 s deadline
def test_a_body_trickled_a_byte_at_a_time_is_cut_off_at_the_deadline(server, policy):
    @server.route("/feed")
    def trickle(request):
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        while not server.stop.wait(0.1):  # each byte well inside the read timeout
            request.wfile.write(b"x")

    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s"):
        fetch(server.url("/feed"), policy=policy)
    assert 1.9 < time.monotonic() - started < 2.6


@pytest.mark.slow  # runs until the 2 s deadline
def test_a_read_that_would_outlast_the_deadline_is_cut_short(server, policy):
    @server.route("/feed")
    def trickle_then_stall(request):
        request.send_response(200)
        request.send_header("Content-Length", "1000")
        request.end_headers()
        for _ in range(15):
            request.wfile.write(b"x")
            server.stop.wait(0.1)
        server.stop.wait(10)

    patient = replace(policy, read_timeout=1.5)  # the last read alone would end at ~3 s

    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s"):
        fetch(server.url("/feed"), policy=patient)
    assert time.monotonic() - started < 2.4


@pytest.mark.slow  # runs until the 2 s deadline
def test_headers_trickled_a_byte_at_a_time_are_cut_off_at_the_deadline(server, policy):
    @server.route("/feed")
    def trickle(request):
        request.wfile.write(b"HTTP/1.0 200 OK\r\n")
        while not server.stop.wait(0.1):
            request.wfile.write(b"X")

    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s"):
        fetch(server.url("/feed"), policy=policy)
    assert time.monotonic() - started < 2.6


@pytest.mark.slow  # runs until the 2 s deadline
def test_the_deadline_spans_every_redirect(server, policy):
    @server.route("/slow")
    def slow_redirect(request):  # each hop is quick enough; all of them together are not
        # Well inside the policy's 0.5 s stall limit, even on a loaded machine.
        server.stop.wait(0.2)
        request.send_response(302)
        request.send_header("Location", f"/slow?{time.monotonic()}")
        request.end_headers()

    many_hops = replace(policy, max_redirects=50)

    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s"):
        fetch(server.url("/slow"), policy=many_hops)
    assert time.monotonic() - started < 2.6


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("::ffff:93.184.215.14", True),
        ("10.1.2.3", False),
        ("::ffff:127.0.0.1", False),
        ("198.18.0.1", False),  # benchmarking range
        ("255.255.255.255", False),
        ("ff02::1", False),
        ("fec0::1", False),  # deprecated site-local
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


class _Sent:
    def __init__(self):
        self.count = 0
        self.finished = threading.Event()


def _stream_endless_body(
    server: FeedServer, path: str, *, total: int, declare_length: bool = False
) -> _Sent:
    """Serve `total` bytes generated as they are sent, counting what actually left."""
    sent = _Sent()
    chunk = b"x" * 65536

    @server.route(path)
    def stream(request):
        try:
            request.send_response(200)
            if declare_length:
                request.send_header("Content-Length", str(total))
            request.end_headers()
            while sent.count < total:
                request.wfile.write(chunk)
                sent.count += len(chunk)
        finally:
            sent.finished.set()

    return sent


class _Tls:
    """A certificate authority of the test's own, and a client policy that trusts it."""

    def __init__(self):
        self._authority = trustme.CA()
        client_context = ssl.create_default_context()
        self._authority.configure_trust(client_context)
        self.policy = FetchPolicy(
            extra_allowed_networks=("127.0.0.1/32",),
            ssl_context=client_context,
            read_timeout=1,
            deadline=3,
        )

    def server(self, *, certificate_for: str) -> FeedServer:
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._authority.issue_cert(certificate_for).configure_cert(server_context)
        return FeedServer(ssl_context=server_context)


@pytest.fixture
def tls() -> _Tls:
    return _Tls()
