"""Who receives the newsletter, and how they join and leave."""

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, func, select

from community.models import Subscriber
from community.models.newsletter import SubscriberStatus
from community.models.types import utcnow


class SubscriptionError(ValueError):
    """A subscription that cannot be made, with a message for the person."""


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise SubscriptionError(
            f"“{email.strip()[:100]}” is not an email address: {error}"
        ) from error


def find_subscriber(session: Session, email: str) -> Subscriber | None:
    statement = select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower())
    return session.exec(statement).first()


def subscribe(
    session: Session, *, email: str, name: str = "", source: str, confirmed: bool
) -> Subscriber:
    """Record consent now; `confirmed` only when the address is already proven to be theirs."""
    address = normalise_email(email)
    subscriber = find_subscriber(session, address)
    if subscriber is None:
        subscriber = Subscriber(email=address)
        session.add(subscriber)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    now = utcnow()
    subscriber.name = (name or subscriber.name)[:200]
    subscriber.source = source
    subscriber.consented_at = now
    subscriber.unsubscribed_at = None
    if confirmed:
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, now
    else:
        subscriber.status = SubscriberStatus.PENDING
    session.flush()
    return subscriber


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = utcnow()


def is_receiving(subscriber: Subscriber | None) -> bool:
    return subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED
