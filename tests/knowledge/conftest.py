import pytest

from tests.local_http import FeedServer


@pytest.fixture
def app_config(app_config):
    """Test feeds are served from 127.0.0.1, which production refuses by default."""
    return {**app_config, "FEEDS_ALLOW_PRIVATE_NETWORKS": True}


@pytest.fixture
def feed_server():
    with FeedServer() as server:
        yield server
    assert not server.errors, f"a server handler failed: {server.errors!r}"
