"""The emails the public newsletter forms send: the double opt-in confirmation (a link to a
page where one click confirms), or, for an address already on the list, the link to its
preferences."""

from datetime import timedelta

from sqlmodel import Session

from community.config import settings
from community.links import public_url
from community.models import Subscriber
from community.models.newsletter import SubscriberStatus
from community.models.types import utcnow
from community.newsletter.tokens import CONFIRM_MAX_AGE, confirmation_token, subscriber_token
from community.outbox import queue_email
from community.person_names import name_for_email
from community.rate_limits import may_email

# Asking again sends a new confirmation only once the last one's link has less than this left.
RESEND_WITHIN = timedelta(days=1)


def answer_form(session: Session, subscriber: Subscriber) -> bool:
    """The one email the subscribe and "email me my link" forms send to the address typed in;
    False when none is due (a bounced address) or it cannot be sent."""
    if subscriber.status == SubscriberStatus.PENDING:
        return send_confirmation(session, subscriber)
    if subscriber.status == SubscriberStatus.BOUNCED:
        return False
    return send_preferences_link(session, subscriber)


def send_confirmation(session: Session, subscriber: Subscriber) -> bool:
    """True when a confirmation is on its way: the one sent before, while its link works."""
    if _confirmation_still_valid(subscriber):
        return True
    # A stranger's form causes it: capped per address, so nobody can fill an inbox with it.
    if not may_email(session, to=subscriber.email, purpose="newsletter-confirmation"):
        return False
    link = public_url(f"/newsletter/confirm/{confirmation_token(subscriber.id, subscriber.email)}")
    name = settings().COMMUNITY_NAME
    text = (
        f"{_greeting(subscriber)}\n\n"
        f"Someone, hopefully you, asked to receive {name}'s weekly newsletter at this address.\n"
        f"To confirm, open this link and press the button there:\n\n{link}\n\n"
        "The link works for seven days. If you did not ask for this, ignore this email: "
        "you will not be subscribed.\n"
    )
    queued = queue_email(
        session, to=subscriber.email, subject=f"Confirm your subscription to {name}", text=text
    )
    if queued:
        subscriber.confirmation_sent_at = utcnow()
    return queued


def _confirmation_still_valid(subscriber: Subscriber) -> bool:
    sent_at = subscriber.confirmation_sent_at
    valid_for = timedelta(seconds=CONFIRM_MAX_AGE) - RESEND_WITHIN
    return sent_at is not None and utcnow() - sent_at < valid_for


def send_preferences_link(session: Session, subscriber: Subscriber) -> bool:
    if not may_email(session, to=subscriber.email, purpose="newsletter-link"):
        return False
    link = public_url(f"/newsletter/preferences/{subscriber_token(subscriber.id)}")
    name = settings().COMMUNITY_NAME
    if subscriber.status == SubscriberStatus.CONFIRMED:
        status = f"This address already receives {name}'s weekly newsletter."
    else:
        status = "This address does not receive the newsletter now; the page subscribes it again."
    text = (
        f"{_greeting(subscriber)}\n\n"
        "Someone, hopefully you, asked on our website to subscribe this address or for the "
        f"link to its newsletter preferences. {status}\n\n"
        f"Your preferences, and the way to unsubscribe: {link}\n\n"
        "If you did not ask for this, ignore this email: nothing has changed.\n"
    )
    return queue_email(
        session, to=subscriber.email, subject=f"Your {name} newsletter preferences", text=text
    )


def _greeting(subscriber: Subscriber) -> str:
    name = name_for_email(subscriber.name)
    return f"Hello {name}," if name else "Hello,"
