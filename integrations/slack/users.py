"""Reading a person's profile from users.info."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from community.members.profiles import SlackProfile

log = logging.getLogger("community.slack")


def fetch_profile(client: WebClient, user_id: str) -> SlackProfile | None:
    """None when Slack cannot tell (missing scope, outage); callers keep what they know."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, KeyError) as error:
        log.warning("users.info failed for %s: %s", user_id, error)
        return None
    profile = user.get("profile") or {}
    return SlackProfile(
        name=profile.get("display_name") or user.get("real_name") or user.get("name") or user_id,
        email=profile.get("email"),
        tz=user.get("tz"),
        tz_offset=int(user.get("tz_offset") or 0),
        is_bot=bool(user.get("is_bot")),
        deleted=bool(user.get("deleted")),
    )
