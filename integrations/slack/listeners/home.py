"""App Home: published when a member opens it, and again after each choice they make."""

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.slack.home_view import ACTION_IDS, home_view
from integrations.slack.users import fetch_profile

log = logging.getLogger("community.slack")


def register(app: App, home, pairing_channel: str | None, first_delivery) -> None:
    """`home` is community.slackbot.home.HomeService; pairing is the channel's membership."""

    def home_opened(body, event, client):
        if event.get("tab") == "home" and first_delivery(body):
            user_id = event["user"]
            _publish(client, home, user_id, profile=fetch_profile(client, user_id))

    def choice_made(ack, body, action, client):
        ack()
        user_id = body["user"]["id"]
        choice = action["action_id"]
        value = action.get("selected_date") or action.get("value") or ""
        profile = fetch_profile(client, user_id)
        notice = home.choose(user_id, profile, choice, value)
        if not notice and pairing_channel and choice in ("pairing_join", "pairing_leave"):
            notice = follow_in_channel(client, pairing_channel, user_id, choice)
        _publish(client, home, user_id, profile=profile, notices=[notice] if notice else [])

    app.event("app_home_opened")(home_opened)
    for action_id in ACTION_IDS:
        app.action(action_id)(choice_made)


def _publish(client: WebClient, home, user_id: str, *, profile, notices=()) -> None:
    content = home.content(user_id, profile, notices)
    client.views_publish(user_id=user_id, view=home_view(content))


def follow_in_channel(client: WebClient, channel: str, user_id: str, choice: str) -> str:
    """Pairing opt-in is membership of the pairing channel, so joining and leaving move you."""
    try:
        if choice == "pairing_join":
            client.conversations_invite(channel=channel, users=user_id)
        else:
            client.conversations_kick(channel=channel, user=user_id)
    except SlackApiError as error:
        if error.response.get("error") in ("already_in_channel", "not_in_channel"):
            return ""
        log.warning("pairing channel %s for %s failed: %s", choice, user_id, error)
        return "Saved, but I could not update your membership of the pairing channel."
    return ""
