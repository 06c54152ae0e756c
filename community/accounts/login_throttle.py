"""Slowing password guessing down without locking the owner out.

Failures are counted in three scopes: one account from one address, one address for any
account, and one account from any address (guessing spread over many addresses). Each
attempt is counted as a failure before its password is checked, in a transaction that locks
its scopes' rows, so parallel guesses queue on the rows and no more passwords are checked
than the policy allows. Past a scope's allowance every further attempt waits, twice as long
each time up to a ceiling; nothing is ever locked for good, and the right password clears
the count of its account from its address.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, tuple_, update
from sqlmodel import Session, select

from community.config import Settings
from community.db import upsert_insert
from community.email_addresses import normalise_email
from community.models import LoginAttempt, LoginThrottle
from community.models.types import utcnow

ANY = ""  # the email of an address's scope, the address of an account's scope
UNKNOWN_ADDRESS = "unknown"
FAILURES_FORGOTTEN_AFTER = timedelta(days=1)
# An address the account logged in from this recently is the owner's: guessing from
# elsewhere does not slow it down.
KNOWN_ADDRESS_FOR = timedelta(days=90)
# An address may fail this many times the allowance across accounts, and an account across
# addresses; an address adds at most its own allowance to its account's count.
WIDE_SCOPE_FACTOR = 4


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int  # for one account from one address before attempts wait
    first_delay: timedelta
    max_delay: timedelta

    @classmethod
    def from_settings(cls, config: Settings) -> "LoginPolicy":
        return cls(
            max_failures=config.LOGIN_MAX_FAILURES,
            first_delay=timedelta(seconds=config.LOGIN_DELAY_SECONDS),
            max_delay=timedelta(minutes=config.LOGIN_MAX_DELAY_MINUTES),
        )

    def wait_after(self, failures: int, allowance: int) -> timedelta:
        if failures < allowance:
            return timedelta(0)
        doublings = min(failures - allowance, 32)
        return min(self.first_delay * 2**doublings, self.max_delay)


class LoginDelayed(Exception):
    """Too many recent failures: no password is checked until `wait` has passed."""

    def __init__(self, wait: timedelta):
        super().__init__(f"try again in {wait}")
        self.wait = wait


@dataclass(frozen=True)
class WideCount:
    """What counting an attempt did to an address's or an account's scope, to take back
    when its password proves right."""

    email: str
    remote_addr: str
    wait_before: datetime | None
    wait_after: datetime | None


@dataclass
class CountedAttempt:
    email: str
    record: LoginAttempt
    account_from_address: LoginThrottle
    wide_counts: list[WideCount]


def count_attempt(
    *, session: Session, email: str, remote_addr: str, policy: LoginPolicy
) -> CountedAttempt:
    """Counts an attempt as failed before its password is checked, or raises LoginDelayed.

    The caller commits before checking the password, so that parallel attempts see it."""
    now = utcnow()
    email = normalise_email(email, check=False)
    address = (remote_addr or UNKNOWN_ADDRESS)[:64]
    pair, by_address, by_account = _locked_scopes(session, email=email, address=address)
    scopes = [pair, by_address] if _is_known(pair, now) else [pair, by_address, by_account]
    waits = [scope.wait_until - now for scope in scopes if _waiting(scope, now)]
    if waits:
        raise LoginDelayed(max(waits))
    _count_failure(pair, policy.max_failures, policy, now)
    wide = [by_address, by_account] if pair.failures <= policy.max_failures else [by_address]
    wide_counts = [_count_wide(scope, policy, now) for scope in wide]
    record = LoginAttempt(email=email, remote_addr=address, succeeded=False)
    session.add(record)
    session.flush()
    return CountedAttempt(
        email=email, record=record, account_from_address=pair, wide_counts=wide_counts
    )


def record_success(*, session: Session, attempt: CountedAttempt) -> None:
    """The password was right: this address starts afresh and counts as the owner's, and
    the wider scopes forget the attempt."""
    attempt.record.succeeded = True
    pair = attempt.account_from_address
    pair.failures = 0
    pair.wait_until = None
    pair.last_success_at = utcnow()
    for count in attempt.wide_counts:
        _take_back(session, count)


def clear_failures(*, session: Session, email: str) -> None:
    """Every wait on the account ends: its owner was given a new password."""
    session.exec(
        update(LoginThrottle)
        .where(LoginThrottle.email == normalise_email(email, check=False))
        .values(failures=0, wait_until=None)
    )


def forget_account(*, session: Session, email: str) -> None:
    session.exec(delete(LoginThrottle).where(LoginThrottle.email == email))


def prune_throttles(*, session: Session) -> None:
    """Rows whose failures are forgotten and whose address is no longer known say nothing."""
    now = utcnow()
    forgotten = LoginThrottle.last_failure_at.is_(None) | (
        LoginThrottle.last_failure_at < now - FAILURES_FORGOTTEN_AFTER
    )
    unknown = LoginThrottle.last_success_at.is_(None) | (
        LoginThrottle.last_success_at < now - KNOWN_ADDRESS_FOR
    )
    session.exec(delete(LoginThrottle).where(forgotten, unknown))


def _locked_scopes(session: Session, *, email: str, address: str) -> list[LoginThrottle]:
    """The three scopes' rows, created when missing and locked in one order by every caller.

    The INSERT comes first because it is a write: SQLite then holds its one write lock for
    the rest of the transaction, and PostgreSQL makes a second inserter of a row wait."""
    keys = [(email, address), (ANY, address), (email, ANY)]
    table = LoginThrottle.__table__
    insert = upsert_insert(session)
    rows = [{"email": e, "remote_addr": a, "failures": 0} for e, a in sorted(keys)]
    session.exec(insert(table).values(rows).on_conflict_do_nothing())
    locked = session.exec(
        select(LoginThrottle)
        .where(tuple_(LoginThrottle.email, LoginThrottle.remote_addr).in_(keys))
        .order_by(LoginThrottle.email, LoginThrottle.remote_addr)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    by_key = {(row.email, row.remote_addr): row for row in locked}
    return [by_key[key] for key in keys]


def _is_known(pair: LoginThrottle, now: datetime) -> bool:
    return pair.last_success_at is not None and now - pair.last_success_at <= KNOWN_ADDRESS_FOR


def _waiting(scope: LoginThrottle, now: datetime) -> bool:
    return scope.wait_until is not None and scope.wait_until > now


def _count_wide(scope: LoginThrottle, policy: LoginPolicy, now: datetime) -> WideCount:
    wait_before = scope.wait_until
    _count_failure(scope, policy.max_failures * WIDE_SCOPE_FACTOR, policy, now)
    return WideCount(scope.email, scope.remote_addr, wait_before, scope.wait_until)


def _take_back(session: Session, count: WideCount) -> None:
    """Relative to what the row holds now, since other attempts may have counted since."""
    row = (LoginThrottle.email == count.email) & (LoginThrottle.remote_addr == count.remote_addr)
    session.exec(
        update(LoginThrottle)
        .where(row, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )
    if count.wait_after != count.wait_before:
        session.exec(
            update(LoginThrottle)
            .where(row, LoginThrottle.wait_until == count.wait_after)
            .values(wait_until=count.wait_before)
        )


def _count_failure(scope: LoginThrottle, allowance: int, policy: LoginPolicy, now) -> None:
    if scope.last_failure_at and now - scope.last_failure_at > FAILURES_FORGOTTEN_AFTER:
        scope.failures = 0
    scope.failures += 1
    scope.last_failure_at = now
    wait = policy.wait_after(scope.failures, allowance)
    scope.wait_until = now + wait if wait else None
