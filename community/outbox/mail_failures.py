"""What a failed email means, decided once for the outbox and the newsletter alike.

When to try again, and when to give up, is `community.outbox.retries`.
"""

from enum import StrEnum

from integrations.mail.transport import MailError, PermanentMailError


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
