"""What a failed email means, decided once for the outbox and the newsletter alike."""

from enum import StrEnum

from integrations.mail.transport import MailError, PermanentMailError

# Attempts before a message counts as failed: every email (and Slack message) the service sends.
MAX_ATTEMPTS = 10


class MailFailure(StrEnum):
    RELAY = "relay"  # the relay is down or refuses the sender: stop and resume later
    REFUSED = "refused"  # this address is refused for good (5xx): never retry it
    DEFERRED = "deferred"  # this address is deferred (4xx): retry it later


def classify(error: MailError) -> MailFailure:
    if not error.recipient_only:
        return MailFailure.RELAY
    if isinstance(error, PermanentMailError):
        return MailFailure.REFUSED
    return MailFailure.DEFERRED


def gives_up(failure: MailFailure, attempts: int) -> bool:
    """True when the message should be recorded as failed rather than tried again."""
    return failure == MailFailure.REFUSED or attempts >= MAX_ATTEMPTS
