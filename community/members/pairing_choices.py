"""What a member can decide about one-on-one pairing: join, skip a round, snooze, leave."""

from datetime import date

from community.models import Member


def join_pairing(member: Member) -> None:
    member.pairing_opt_in = True
    member.pairing_skip_next = False
    member.pairing_snoozed_until = None


def leave_pairing(member: Member) -> None:
    member.pairing_opt_in = False
    member.pairing_skip_next = False
    member.pairing_snoozed_until = None


def skip_next_round(member: Member, skip: bool = True) -> None:
    member.pairing_skip_next = skip


class PairingChoiceError(ValueError):
    """A choice that cannot be applied, with a message for the member."""


def snooze_pairing(member: Member, until: date | None, today: date) -> None:
    """Pause pairing up to and including `until`; None ends the snooze."""
    if until is not None and until < today:
        raise PairingChoiceError("Pick a date from today on to snooze until.")
    member.pairing_snoozed_until = until
