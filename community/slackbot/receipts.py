"""Slack deliveries already handled, so a retried event or a replayed click acts once."""

from sqlalchemy.exc import IntegrityError

from community.db import session_scope
from community.models import SlackEventReceipt

# Receipts that stand for "done once, ever" rather than "this delivery was seen": pruning
# keeps them. A thread passed on to people by *Still need help* is never passed on again.
KEPT_FOR_GOOD = "once:"


def once_key(what: str, *parts: str) -> str:
    return ":".join([KEPT_FOR_GOOD.rstrip(":"), what, *parts])


def already_handled(key: str) -> bool:
    """True when `key` was seen before; otherwise remembers it, in one atomic insert."""
    try:
        with session_scope() as session:
            session.add(SlackEventReceipt(event_id=key))
    except IntegrityError:
        return True
    return False


def first_delivery(body: dict) -> bool:
    """Slack redelivers an event it thinks failed; only the first delivery is answered.

    Listeners call this after Bolt has acknowledged, so the write that remembers the
    event never delays the acknowledgement Slack waits for.
    """
    event_id = body.get("event_id") if isinstance(body, dict) else None
    return not (event_id and already_handled(event_id))
