"""How the service fetches untrusted URLs (feeds, calendars, curated posts), from settings."""

from community.config import Settings
from integrations.feeds.fetching import FetchPolicy


def fetch_policy(config: Settings) -> FetchPolicy:
    return FetchPolicy(
        allow_private_networks=config.FEEDS_ALLOW_PRIVATE_NETWORKS,
        max_bytes=config.FEEDS_MAX_BYTES,
    )
