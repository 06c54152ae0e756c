"""Fetching a document from the open internet without letting it reach anything else.

Redirects are followed here, hop by hop. Every connection goes through a network backend that
resolves the host once, refuses it unless every address is public, and connects to the address
it checked, so a DNS answer that changes between the check and the connect cannot reach a
private network. Every read and write waits no longer than its own timeout nor past the overall
deadline, so a server that trickles its headers or body cannot hold a poll open.
"""

import contextlib
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from http import HTTPStatus

import httpcore
import httpx

MiB = 1024 * 1024
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = PERMANENT_REDIRECTS | {302, 303, 307}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LONGEST_RETRY_AFTER = 7 * 24 * 3600.0  # a server's Retry-After cannot park a feed for years

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchPolicy:
    allow_private_networks: bool = False
    max_bytes: int = 10 * MiB
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # overall, across redirects and slow trickling bodies
    max_redirects: int = 5
    user_agent: str = "CommunityBot/1.0 (+feed reader)"
    extra_allowed_networks: tuple[str, ...] = ()  # CIDRs treated as public (tests: "127.0.0.1/32")
    ssl_context: ssl.SSLContext | None = None  # None: certifi's trusted authorities


@dataclass
class FetchResult:
    status: int  # 304, or the 2xx the server answered (almost always 200)
    url: str  # the final URL fetched
    new_permanent_url: str | None  # set when every hop to the final URL was 301/308
    content: bytes | None  # None on 304
    etag: str | None
    last_modified: str | None
    content_type: str | None = None


class FetchError(Exception):
    """`reason` is a sentence an organiser can act on; `gone` means the feed should stop."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        gone: bool = False,
        retry_after: float | None = None,
    ):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.gone = gone
        self.retry_after = retry_after


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy = FetchPolicy(),  # noqa: B008  (frozen, so one shared default is safe)
    accept: str = FEED_ACCEPT,
    truncate: bool = False,
) -> FetchResult:
    """GET `url`, following redirects; a FetchError's reason says what an organiser can do.

    With `truncate`, a body longer than the policy's max_bytes is cut there instead of refused.
    """
    clock = _Clock(policy.deadline)
    headers = _request_headers(policy, accept, etag, last_modified)
    hops = _Hops(url, policy.max_redirects)
    with _client(policy, clock, headers) as client:
        while True:
            with _readable_errors(hops, policy, clock), client.stream("GET", hops.current) as reply:
                if reply.status_code not in REDIRECTS:
                    return _result(reply, hops, policy, truncate, etag, last_modified)
                hops.follow(reply)


def is_public_address(address: str | IPAddress) -> bool:
    """True for an address on the public internet; IPv6 forms that embed an IPv4 address
    (mapped, 6to4, NAT64) are judged by the IPv4 address they lead to."""
    address = ipaddress.ip_address(address)
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_public_address(embedded)
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or getattr(address, "is_site_local", False)
    )


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if address.version == 4:
        return None
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


class _Hops:
    """The redirect chain so far: where we are, where we have been and how we got here."""

    def __init__(self, url: str, max_redirects: int):
        self.current = _http_url(url, redirected=False)
        self._visited = {str(self.current)}
        self._statuses: list[int] = []
        self._max_redirects = max_redirects

    @property
    def redirected(self) -> bool:
        return bool(self._statuses)

    @property
    def new_permanent_url(self) -> str | None:
        if self._statuses and PERMANENT_REDIRECTS.issuperset(self._statuses):
            return str(self.current)
        return None

    def follow(self, reply: httpx.Response) -> None:
        status, location = reply.status_code, reply.headers.get("location", "").strip()
        if not location:
            raise FetchError(f"the server answered HTTP {status} without a Location to go to")
        target = _http_url(_joined(self.current, location), redirected=True)
        if str(target) in self._visited:
            raise FetchError(f"redirect loop: {target} was already visited")
        if len(self._statuses) >= self._max_redirects:
            raise FetchError(f"more than {self._max_redirects} redirects; the chain does not end")
        self._statuses.append(status)
        self._visited.add(str(target))
        self.current = target


def _joined(base: httpx.URL, location: str) -> httpx.URL:
    try:
        return base.join(location).copy_with(fragment=None)
    except httpx.InvalidURL as error:
        raise FetchError(f"the server redirected to an invalid URL ({error})") from error


def _http_url(url: str | httpx.URL, *, redirected: bool) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise FetchError(f"{url!r} is not a valid URL ({error})") from error
    if not parsed.scheme:
        raise FetchError(f"{url!r} has no scheme; start it with https://")
    if parsed.scheme not in ("http", "https") and redirected:
        raise FetchError(f"redirect to a {parsed.scheme}: URL refused")
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parsed.scheme}:")
    if not parsed.host:
        raise FetchError(f"{url!r} has no host name")
    return parsed


def _request_headers(
    policy: FetchPolicy, accept: str, etag: str | None, last_modified: str | None
) -> dict[str, str]:
    headers = {"User-Agent": policy.user_agent, "Accept": accept, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _client(policy: FetchPolicy, clock: "_Clock", headers: dict[str, str]) -> httpx.Client:
    return httpx.Client(
        transport=_GuardedTransport(policy, clock),
        headers=headers,
        timeout=httpx.Timeout(
            connect=policy.connect_timeout,
            read=policy.read_timeout,
            write=policy.read_timeout,
            pool=policy.connect_timeout,
        ),
        follow_redirects=False,
        trust_env=False,
    )


def _result(
    reply: httpx.Response,
    hops: _Hops,
    policy: FetchPolicy,
    truncate: bool,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    not_modified = reply.status_code == 304
    if not not_modified:
        _refuse_unsuccessful(reply)
    return FetchResult(
        status=reply.status_code,
        url=str(hops.current),
        new_permanent_url=hops.new_permanent_url,
        content=None if not_modified else _read_capped(reply, policy.max_bytes, truncate),
        # a 304 may leave the validators out; the ones we sent are still the right ones
        etag=reply.headers.get("etag", etag if not_modified else None),
        last_modified=reply.headers.get("last-modified", last_modified if not_modified else None),
        content_type=reply.headers.get("content-type"),
    )


def _refuse_unsuccessful(reply: httpx.Response) -> None:
    status = reply.status_code
    if 200 <= status < 300:
        return
    if status == 410:
        raise FetchError(
            "the server says this address is gone for good (HTTP 410)", status=410, gone=True
        )
    retry_after = _retry_after(reply.headers.get("retry-after")) if status in (429, 503) else None
    raise FetchError(_status_reason(status, retry_after), status=status, retry_after=retry_after)


def _status_reason(status: int, retry_after: float | None) -> str:
    answered = f"HTTP {status} {_phrase(status)}".strip()
    if status in (429, 503):
        wait = f"; it asked us to wait {retry_after:.0f} s" if retry_after is not None else ""
        return f"the server is busy or limiting requests ({answered}){wait}"
    if status in (401, 403):
        return f"the server refused access ({answered}); the address may be private"
    if status == 404:
        return f"nothing was found at this address ({answered}); check the URL"
    if status >= 500:
        return f"the server failed ({answered}); this is usually temporary"
    return f"the server answered {answered}"


def _phrase(status: int) -> str:
    # the standard phrase, never the server's own text, which it could fill with anything
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), _LONGEST_RETRY_AFTER)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (moment - datetime.now(UTC)).total_seconds()
    return min(max(0.0, seconds), _LONGEST_RETRY_AFTER)


def _read_capped(reply: httpx.Response, limit: int, truncate: bool) -> bytes:
    declared = reply.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > limit:
        raise FetchError(f"the response is larger than {_size(limit)} ({_size(int(declared))})")
    decoder = _decoder(reply.headers.get("content-encoding", ""))
    body = bytearray()
    for chunk in reply.iter_raw():
        body += decoder.decode(chunk, room=limit - len(body))
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise FetchError(f"the response is larger than {_size(limit)}")
    return bytes(body)


def _decoder(content_encoding: str) -> "_Passthrough | _Inflater":
    codings = [coding.strip().lower() for coding in content_encoding.split(",")]
    codings = [coding for coding in codings if coding not in ("", "identity")]
    if not codings:
        return _Passthrough()
    if codings in (["gzip"], ["x-gzip"], ["deflate"]):
        return _Inflater()
    raise FetchError(f"the server compressed the response as {content_encoding!r}, not gzip")


class _Passthrough:
    def decode(self, chunk: bytes, room: int) -> bytes:
        return chunk


class _Inflater:
    """Inflates gzip or zlib data no further than one byte past the room left under the cap,
    so a small compressed body that would inflate to gigabytes stops at the cap."""

    def __init__(self):
        self._zlib = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # gzip or zlib header

    def decode(self, chunk: bytes, room: int) -> bytes:
        try:
            return self._zlib.decompress(chunk, room + 1)
        except zlib.error as error:
            raise FetchError(f"the server sent a corrupt compressed body ({error})") from error


def _size(count: int) -> str:
    if count >= MiB:
        return f"{count / MiB:.4g} MiB"
    if count >= 1024:
        return f"{count / 1024:.4g} KiB"
    return f"{count} bytes"


def _seconds(value: float) -> str:
    return f"{value:g} s"


@contextlib.contextmanager
def _readable_errors(hops: _Hops, policy: FetchPolicy, clock: "_Clock") -> Iterator[None]:
    host = hops.current.host
    try:
        yield
    except _PrivateAddress as refusal:
        raise FetchError(refusal.reason(redirected=hops.redirected)) from None
    except _UnknownHost:
        raise FetchError(f"the server {host} could not be found (DNS); check the URL") from None
    except httpcore.TimeoutException as error:
        raise FetchError(_timeout_reason(error, host, policy, clock)) from error
    except httpcore.ConnectError as error:
        raise FetchError(f"could not connect to {host}: {error}") from error
    except httpcore.ProtocolError as error:
        raise FetchError(f"{host} sent a broken HTTP response ({error})") from error
    except httpcore.NetworkError as error:
        raise FetchError(f"the connection to {host} failed: {error}") from error


def _timeout_reason(
    error: httpcore.TimeoutException, host: str, policy: FetchPolicy, clock: "_Clock"
) -> str:
    if clock.expired:
        return f"the server took longer than {_seconds(policy.deadline)}"
    if isinstance(error, httpcore.ConnectTimeout):
        return f"could not connect to {host} within {_seconds(policy.connect_timeout)}"
    return f"the server stopped sending for {_seconds(policy.read_timeout)}"


class _Clock:
    """The time left before the overall deadline."""

    _SLACK = 0.05  # a timeout cut to the deadline fires a hair after it; that still counts

    def __init__(self, seconds: float):
        self._end = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self._end - self._SLACK

    def bound(self, timeout: float | None, *, on_expiry: type[Exception]) -> float:
        left = self._end - time.monotonic()
        if left <= 0:
            raise on_expiry("the overall deadline has passed")
        return left if timeout is None else min(timeout, left)


class _PrivateAddress(Exception):
    def __init__(self, host: str, address: IPAddress):
        super().__init__(f"{host} -> {address}")
        self.host, self.address = host, address

    def reason(self, *, redirected: bool) -> str:
        if redirected:
            return f"redirect to a private address ({self.address}) refused"
        if _as_address(self.host) == self.address:
            return f"{self.host} is a private address; refused"
        return f"{self.host} resolves to a private address ({self.address}); refused"


def _as_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class _UnknownHost(Exception):
    pass


class _GuardedBackend(httpcore.NetworkBackend):
    """Connects only when every address of the host is allowed, and then to a checked address."""

    def __init__(self, policy: FetchPolicy, clock: _Clock):
        self._policy = policy
        self._clock = clock
        self._allowed = [
            ipaddress.ip_network(cidr, strict=False) for cidr in policy.extra_allowed_networks
        ]
        self._tcp = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.NetworkStream:
        failures = []
        for address in self._checked_addresses(host, port):
            try:
                stream = self._tcp.connect_tcp(
                    str(address),
                    port,
                    timeout=self._clock.bound(timeout, on_expiry=httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failures.append(error)  # another address of the same host may answer
                continue
            return _DeadlineStream(stream, self._clock)
        raise failures[-1]

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are never fetched")

    def _checked_addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = _as_address(host)
        addresses = [literal] if literal else _resolved(host, port)
        for address in addresses:
            if not self._allows(address):
                raise _PrivateAddress(host, address)
        return addresses

    def _allows(self, address: IPAddress) -> bool:
        if self._policy.allow_private_networks or is_public_address(address):
            return True
        return any(address in network for network in self._allowed)


def _resolved(host: str, port: int) -> list[IPAddress]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise _UnknownHost(host) from error
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in found))


class _DeadlineStream(httpcore.NetworkStream):
    """Every read and write waits no longer than its own timeout nor past the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock):
        self._stream = stream
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        bounded = self._clock.bound(timeout, on_expiry=httpcore.ReadTimeout)
        return self._stream.read(max_bytes, bounded)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.bound(timeout, on_expiry=httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> "_DeadlineStream":
        bounded = self._clock.bound(timeout, on_expiry=httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, bounded), self._clock
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedTransport(httpx.BaseTransport):
    """httpx's transport interface over an httpcore pool that connects through _GuardedBackend."""

    def __init__(self, policy: FetchPolicy, clock: _Clock):
        self._pool = httpcore.ConnectionPool(
            ssl_context=policy.ssl_context or _default_ssl_context(),
            network_backend=_GuardedBackend(policy, clock),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        reply = self._pool.handle_request(
            httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
        )
        return httpx.Response(
            status_code=reply.status,
            headers=reply.headers,
            stream=_ReplyBody(reply),
            extensions=reply.extensions,
        )

    def close(self) -> None:
        self._pool.close()


class _ReplyBody(httpx.SyncByteStream):
    def __init__(self, reply: httpcore.Response):
        self._reply = reply

    def __iter__(self) -> Iterator[bytes]:
        yield from self._reply.iter_stream()

    def close(self) -> None:
        self._reply.close()


@cache
def _default_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
