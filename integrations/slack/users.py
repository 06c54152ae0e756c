"""Reading a person's profile from users.info.

SlackProfile is used with Slack off too (pairing, member pages), so slack_sdk is imported only
where Slack is called: a process with Slack off never loads it.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger("community.slack")


@dataclass(frozen=True)
class SlackProfile:
    """What Slack's users.info tells about a person; the name is always set."""

    name: str
    email: str | None = None
    tz: str | None = None
    tz_offset: int = 0
    is_bot: bool = False
    deleted: bool = False
    status_text: str = ""
    status_emoji: str = ""
    status_expires_at: datetime | None = None


def fetch_profile(client: "WebClient", user_id: str) -> SlackProfile | None:
    """None when Slack cannot tell (missing scope, outage); callers keep what they know."""
    from slack_sdk.errors import SlackApiError

    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, KeyError) as error:
        log.warning("users.info failed for %s: %s", user_id, error)
        return None
    return profile_from_user(user)


def profile_from_user(user: dict) -> SlackProfile:
    """From a users.info `user`, or the `user` of a user_change event."""
    profile = user.get("profile") or {}
    user_id = user.get("id", "")
    expiration = int(profile.get("status_expiration") or 0)
    return SlackProfile(
        name=profile.get("display_name") or user.get("real_name") or user.get("name") or user_id,
        email=profile.get("email"),
        tz=user.get("tz"),
        tz_offset=int(user.get("tz_offset") or 0),
        is_bot=bool(user.get("is_bot")),
        deleted=bool(user.get("deleted")),
        status_text=str(profile.get("status_text") or ""),
        status_emoji=str(profile.get("status_emoji") or ""),
        status_expires_at=datetime.fromtimestamp(expiration, UTC) if expiration else None,
    )
