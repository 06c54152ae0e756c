"""Who receives the newsletter, and how they join and leave."""

from sqlmodel import Session, func, select

from community.email_addresses import InvalidEmail, normalise_email
from community.models import Subscriber
from community.models.newsletter import SubscriberStatus
from community.models.types import utcnow
from community.person_names import one_line_name


class SubscriptionError(ValueError):
    """A subscription that cannot be made, with a message for the person."""


def _valid_email(email: str) -> str:
    try:
        return normalise_email(email)
    except InvalidEmail as error:
        raise SubscriptionError(str(error)) from error


def find_subscriber(session: Session, email: str) -> Subscriber | None:
    statement = select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower())
    return session.exec(statement).first()


def subscribe(
    session: Session, *, email: str, name: str = "", source: str, confirmed: bool
) -> Subscriber:
    """Record consent now; `confirmed` only when the address is already proven to be theirs."""
    address = _valid_email(email)
    subscriber = find_subscriber(session, address)
    if subscriber is None:
        subscriber = Subscriber(email=address)
        session.add(subscriber)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    now = utcnow()
    subscriber.name = one_line_name(name) or subscriber.name
    subscriber.source = source
    subscriber.consented_at = now
    subscriber.unsubscribed_at = None
    if confirmed:
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, now
    elif subscriber.status != SubscriberStatus.PENDING:  # coming back: a new opt-in
        subscriber.status, subscriber.confirmation_sent_at = SubscriberStatus.PENDING, None
    session.flush()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = utcnow()


def is_receiving(subscriber: Subscriber | None) -> bool:
    return subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED


def confirm(subscriber: Subscriber) -> bool:
    """True when this confirmed a pending subscription."""
    if subscriber.status != SubscriberStatus.PENDING:
        return False
    subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
    return True


def resubscribe(subscriber: Subscriber) -> None:
    """From the preferences page: the person proved the address by holding the link."""
    now = utcnow()
    subscriber.status, subscriber.consented_at = SubscriberStatus.CONFIRMED, now
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
