"""How the service fetches untrusted URLs (feeds, calendars, curated posts), from settings."""

from typing import TYPE_CHECKING

from community.config import Settings

if TYPE_CHECKING:
    from integrations.feeds.fetching import FetchPolicy


def fetch_policy(config: Settings) -> "FetchPolicy":
    from integrations.feeds.fetching import FetchPolicy  # httpx, only once something is fetched

    return FetchPolicy(
        allow_private_networks=config.FEEDS_ALLOW_PRIVATE_NETWORKS,
        max_bytes=config.FEEDS_MAX_BYTES,
    )
