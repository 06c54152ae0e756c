"""The RSVP button on the bot's event messages: registers the member with their Slack email."""

from typing import TYPE_CHECKING

from community.db import session_scope
from community.events import notifications, registrations
from community.events.registrations import Person, RegistrationError
from community.links import public_event_url
from community.members.profiles import remember_member
from community.models import Event, Registration, RegistrationStatus
from integrations.slack.text import escape
from integrations.slack.users import SlackProfile, fetch_profile

if TYPE_CHECKING:
    from slack_bolt import App


def register(bolt: "App") -> None:
    bolt.action("event_rsvp")(rsvp_pressed)


def rsvp_pressed(ack, body, action, client, respond):
    ack()
    user_id = body["user"]["id"]
    try:
        event_id = int(action.get("value", ""))
    except ValueError:
        return
    message = _register(user_id, fetch_profile(client, user_id), event_id)
    respond(response_type="ephemeral", replace_original=False, text=escape(message))


def _register(slack_id: str, profile: SlackProfile | None, event_id: int) -> str:
    with session_scope() as session:
        member = remember_member(session, slack_id, profile)
        event = session.get(Event, event_id)
        if event is None:
            return "That event no longer exists."
        if not member.email:
            return f"Slack did not share your email address; register at {public_event_url(event)}"
        person = Person(name=member.name, email=member.email, member_id=member.id)
        try:
            registration = registrations.register(session=session, event_id=event.id, person=person)
        except RegistrationError as error:
            return str(error)
        notifications.tell_registration(session, event, registration)
        return _confirmation(event, registration)


def _confirmation(event: Event, registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return (
            f"“{event.title}” is full, so you are on the waitlist. "
            "I will tell you if a place frees up."
        )
    return (
        f"You are registered for “{event.title}”. Details are on their way to {registration.email}."
    )
