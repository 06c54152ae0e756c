"""How the service fetches untrusted URLs (feeds, calendars, curated posts), from settings."""

from dataclasses import replace
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


def link_save_policy(config: Settings) -> "FetchPolicy":
    """A page a member saves from Slack: the same rules, but the member is waiting for the
    answer, so the whole fetch, redirects and a trickling body included, gets a few seconds."""
    return replace(fetch_policy(config), deadline=config.SLACK_SAVE_SECONDS)
