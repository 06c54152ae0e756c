"""How the service fetches untrusted URLs (feeds, calendars, curated posts), from settings."""

from collections.abc import Mapping

from integrations.feeds.fetching import FetchPolicy


def fetch_policy(config: Mapping) -> FetchPolicy:
    return FetchPolicy(
        allow_private_networks=config["FEEDS_ALLOW_PRIVATE_NETWORKS"],
        max_bytes=config["FEEDS_MAX_BYTES"],
    )
