"""When a message that failed is tried again, and when it counts as failed for good.

One policy for everything the service sends: the outbox's email and Slack messages and
the newsletter's deliveries wait 2 minutes after their first failure, twice as long after
each further one up to 2 hours, and give up after MAX_ATTEMPTS.
"""

from datetime import datetime, timedelta

from community.models.types import utcnow

MAX_ATTEMPTS = 10
LONGEST_WAIT = timedelta(hours=2)


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(timedelta(minutes=2**attempts), LONGEST_WAIT)


def gives_up(attempts: int, *, permanent: bool = False) -> bool:
    """True when a message should be recorded as failed rather than tried again."""
    return permanent or attempts >= MAX_ATTEMPTS


def next_attempt_at(attempts: int) -> datetime:
    return utcnow() + retry_wait(attempts)
