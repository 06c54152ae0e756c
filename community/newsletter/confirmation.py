"""The double opt-in email: a link to a page where one click confirms."""

from sqlmodel import Session

from community.config import settings
from community.links import public_url
from community.models import Subscriber
from community.newsletter.tokens import confirmation_token
from community.outbox import queue_email


def send_confirmation(session: Session, subscriber: Subscriber) -> bool:
    link = public_url(f"/newsletter/confirm/{confirmation_token(subscriber.id, subscriber.email)}")
    name = settings().COMMUNITY_NAME
    text = (
        f"Hello{' ' + subscriber.name if subscriber.name else ''},\n\n"
        f"Someone, hopefully you, asked to receive {name}'s weekly newsletter at this address.\n"
        f"To confirm, open this link and press the button there:\n\n{link}\n\n"
        "The link works for seven days. If you did not ask for this, ignore this email: "
        "you will not be subscribed.\n"
    )
    return queue_email(
        session, to=subscriber.email, subject=f"Confirm your subscription to {name}", text=text
    )
