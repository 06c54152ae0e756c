"""Scheduled housekeeping for organiser accounts."""

from datetime import timedelta

from sqlalchemy import delete

from community.accounts.login_throttle import prune_throttles
from community.db import session_scope
from community.models import LoginAttempt
from community.models.types import utcnow

LOGIN_ATTEMPT_RETENTION = timedelta(days=30)


def prune_login_attempts() -> None:
    """Attempts older than a month (kept for audits) and login waits that are over."""
    cutoff = utcnow() - LOGIN_ATTEMPT_RETENTION
    with session_scope() as session:
        session.exec(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
        prune_throttles(session=session)
