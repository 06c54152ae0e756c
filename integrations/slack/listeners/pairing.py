"""Pairing in Slack: `/coffee`, the pairing channel's joins and leaves, status, check-ins."""

from slack_bolt import App

from integrations.slack.listeners.home import follow_in_channel
from integrations.slack.pairing_blocks import OUTCOME_ACTIONS
from integrations.slack.text import escape
from integrations.slack.users import fetch_profile, profile_from_user


def register(app: App, pairing, pairing_channel: str | None, first_delivery) -> None:
    """`pairing` is community.slackbot.pairing.PairingService."""

    def coffee(ack, command, client, respond):
        ack()
        user_id = command.get("user_id", "")
        reply, change = pairing.coffee(
            user_id, fetch_profile(client, user_id), command.get("text", "")
        )
        if change and pairing_channel:
            reply = follow_in_channel(client, pairing_channel, user_id, change) or reply
        respond(response_type="ephemeral", text=escape(reply))

    def joined(body, event, client):
        if event.get("channel") == pairing_channel and first_delivery(body):
            user_id = event["user"]
            pairing.channel_changed(user_id, joined=True, profile=fetch_profile(client, user_id))

    def left(body, event):
        if event.get("channel") == pairing_channel and first_delivery(body):
            pairing.channel_changed(event["user"], joined=False)

    def user_changed(event):
        user = event.get("user") or {}
        if user.get("id"):
            pairing.profile_changed(user["id"], profile_from_user(user))

    def checkin_answered(ack, body, action, respond):
        ack()
        label, outcome = OUTCOME_ACTIONS[action["action_id"]]
        try:
            group_id = int(action.get("value", ""))
        except ValueError:
            return
        if pairing.outcome(group_id, body["user"]["id"], outcome):
            respond(
                replace_original=True, text=f"<@{body['user']['id']}> answered: {label}. Thank you!"
            )
        else:
            respond(
                response_type="ephemeral",
                replace_original=False,
                text="Only the people introduced in this group can answer.",
            )

    app.command("/coffee")(coffee)
    app.event("member_joined_channel")(joined)
    app.event("member_left_channel")(left)
    app.event("user_change")(user_changed)
    for action_id in OUTCOME_ACTIONS:
        app.action(action_id)(checkin_answered)
