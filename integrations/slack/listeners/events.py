"""The RSVP button on the bot's event messages: registers the member with their Slack email."""

from slack_bolt import App

from integrations.slack.text import escape
from integrations.slack.users import fetch_profile


def register(app: App, rsvp) -> None:
    """`rsvp(slack user id, profile, event id) -> message` is community.slackbot.events."""

    def rsvp_pressed(ack, body, action, client, respond):
        ack()
        user_id = body["user"]["id"]
        try:
            event_id = int(action.get("value", ""))
        except ValueError:
            return
        message = rsvp(user_id, fetch_profile(client, user_id), event_id)
        respond(response_type="ephemeral", replace_original=False, text=escape(message))

    app.action("event_rsvp")(rsvp_pressed)
