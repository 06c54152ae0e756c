"""Scheduled housekeeping for organiser accounts."""

from datetime import timedelta

from sqlalchemy import delete

from community.db import session_scope
from community.models import LoginAttempt
from community.models.types import utcnow

LOGIN_ATTEMPT_RETENTION = timedelta(days=30)


def prune_login_attempts() -> None:
    """Old attempts no longer count towards a lockout; keeping a month helps audits."""
    cutoff = utcnow() - LOGIN_ATTEMPT_RETENTION
    with session_scope() as session:
        session.exec(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
