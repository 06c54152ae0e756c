"""Fixtures for fetch tests: a local server, a test policy, and spies on the socket layer."""

import socket

import pytest

from integrations.feeds.fetching import FetchPolicy, MiB
from tests.local_http import FakeDns, FeedServer


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running
    assert not running.errors, f"a server handler failed: {running.errors!r}"


@pytest.fixture
def policy() -> FetchPolicy:
    """Loopback allowed (other private ranges still refused); short timeouts; a 1 MiB cap."""
    return FetchPolicy(
        extra_allowed_networks=("127.0.0.1/32",),
        connect_timeout=1.0,
        read_timeout=0.5,
        deadline=2.0,
        max_bytes=1 * MiB,
    )


@pytest.fixture
def connections(monkeypatch) -> list[tuple[str, int]]:
    """Every (address, port) a socket was connected to during the test."""
    opened: list[tuple[str, int]] = []
    real_create_connection = socket.create_connection

    def recording_create_connection(address, *args, **kwargs):
        opened.append((address[0], address[1]))
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", recording_create_connection)
    return opened


@pytest.fixture
def dns(monkeypatch) -> FakeDns:
    fake = FakeDns(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake
