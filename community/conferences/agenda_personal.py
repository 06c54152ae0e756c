"""A registered person's own agenda, reached through their registration's signed link: which
registration a link opens at a conference, and whether it may see the streams' join links."""

from sqlmodel import Session

from community.events.registrations import awaits_confirmation
from community.events.tokens import registration_id_from, registration_token
from community.links import public_url
from community.models import Conference, Registration, RegistrationStatus


class LinkRefused(LookupError):
    """The link opens no agenda at this conference; the message tells its holder why."""


def registration_of_link(session: Session, conference: Conference, token: str) -> Registration:
    """The registration the link was signed for, if it is a live place at this conference."""
    registration_id = registration_id_from(token)
    registration = session.get(Registration, registration_id) if registration_id else None
    if registration is None:
        raise LinkRefused(
            "This link is not a valid registration link. Open the link in your registration "
            "email, or ask for it again on the event page."
        )
    if registration.event_id != conference.event_id:
        raise LinkRefused(
            "This link belongs to a registration for another event, so it opens no agenda "
            "here. Open the link in this conference's registration email."
        )
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED):
        raise LinkRefused(
            "This registration was cancelled or its place was released, so it has no agenda "
            "any more. Register again on the event page while places are open."
        )
    return registration


def my_agenda_url(conference: Conference, registration_id: int) -> str:
    """The registration's own agenda, for emails and Slack messages."""
    token = registration_token(registration_id)
    return public_url(f"/conferences/{conference.acronym}/my/{token}")


def may_join_streams(registration: Registration | None) -> bool:
    """Join links are for people with a confirmed place, never the waitlist or the public."""
    return (
        registration is not None
        and registration.status == RegistrationStatus.REGISTERED
        and not awaits_confirmation(registration)
    )
