"""Small helpers shared by tests."""

import re

from community.accounts.services import create_organiser
from community.db import session_scope
from community.models import JobRun
from community.models.types import utcnow

ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "a long enough password"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def add_organiser(session, email: str = ORGANISER_EMAIL, password: str = ORGANISER_PASSWORD):
    organiser = create_organiser(session=session, email=email, password=password)
    session.commit()
    return organiser


def log_in(client, email: str = ORGANISER_EMAIL, password: str = ORGANISER_PASSWORD):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def record_heartbeat(app, *, at=None) -> None:
    """What a running scheduler leaves behind, for /healthz to read."""
    at = at or utcnow()
    with app.app_context(), session_scope() as session:
        session.add(
            JobRun(
                job_id="scheduler.heartbeat",
                holder="test",
                status="succeeded",
                started_at=at,
                finished_at=at,
            )
        )


def deliver_outbox(app, timeout: float = 30.0) -> None:
    """Waits until the outbox worker has tried everything queued so far."""
    assert app.extensions["outbox"].wait_until_idle(timeout), "the outbox worker is stuck"
