"""Registering for an event from Slack, with the address the member's profile shows."""

from flask import Flask

from community.db import session_scope
from community.events import notifications, registrations
from community.events.registrations import Person, RegistrationError
from community.links import public_event_url
from community.members.profiles import remember_member
from community.models import Event, Registration, RegistrationStatus
from integrations.slack.users import SlackProfile


def event_registrar(app: Flask):
    def rsvp(slack_id: str, profile: SlackProfile | None, event_id: int) -> str:
        with app.app_context(), session_scope() as session:
            member = remember_member(session, slack_id, profile)
            event = session.get(Event, event_id)
            if event is None:
                return "That event no longer exists."
            if not member.email:
                url = public_event_url(event)
                return f"Slack did not share your email address; register at {url}"
            person = Person(name=member.name, email=member.email, member_id=member.id)
            try:
                registration = registrations.register(
                    session=session, event_id=event.id, person=person
                )
            except RegistrationError as error:
                return str(error)
            notifications.tell_registration(session, event, registration)
            return _confirmation(event, registration)

    return rsvp


def _confirmation(event: Event, registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return (
            f"“{event.title}” is full, so you are on the waitlist. "
            "I will tell you if a place frees up."
        )
    return (
        f"You are registered for “{event.title}”. Details are on their way to {registration.email}."
    )
