"""`/subscribe [EMAIL]`: the weekly newsletter from Slack."""

from typing import TYPE_CHECKING

from community.db import session_scope
from community.members.profiles import remember_member
from community.models.newsletter import SubscriberStatus
from community.newsletter.confirmation import send_confirmation
from community.newsletter.subscriptions import SubscriptionError, subscribe
from integrations.slack.text import escape
from integrations.slack.users import SlackProfile, fetch_profile

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.command("/subscribe")(subscribe_command)


def subscribe_command(ack, command, client, respond):
    ack()
    user_id = command.get("user_id", "")
    typed_email = command.get("text", "").strip()
    message = _subscribe(user_id, fetch_profile(client, user_id), typed_email)
    respond(response_type="ephemeral", text=escape(message))


def _subscribe(slack_id: str, profile: SlackProfile | None, typed_email: str) -> str:
    with session_scope() as session:
        member = remember_member(session, slack_id, profile)
        email = typed_email or member.email
        if not email:
            return "Slack did not share your email address; try `/subscribe you@example.org`."
        # An address the workspace verified is proven; a typed one gets a confirmation email.
        verified = not typed_email or typed_email.lower() == (member.email or "").lower()
        try:
            subscriber = subscribe(
                session, email=email, name=member.name, source="slack", confirmed=verified
            )
        except SubscriptionError as error:
            return str(error)
        if subscriber.status == SubscriberStatus.PENDING:
            send_confirmation(session, subscriber)
            return f"Almost there: open the link I emailed to {subscriber.email} to confirm."
        return f"You are subscribed: the newsletter comes to {subscriber.email} every week."
