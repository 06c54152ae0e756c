"""`/subscribe [EMAIL]`: the weekly newsletter from Slack."""

from slack_bolt import App

from integrations.slack.text import escape
from integrations.slack.users import fetch_profile


def register(app: App, subscribe) -> None:
    """`subscribe(slack user id, profile, typed email or "") -> message`."""

    def subscribe_command(ack, command, client, respond):
        ack()
        user_id = command.get("user_id", "")
        message = subscribe(
            user_id, fetch_profile(client, user_id), command.get("text", "").strip()
        )
        respond(response_type="ephemeral", text=escape(message))

    app.command("/subscribe")(subscribe_command)
