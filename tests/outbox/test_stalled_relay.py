"""No request waits on SMTP: with a relay that accepts and never answers, pages still answer."""

import threading
import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import select

from community.events.registrations import Person, register
from community.models import OutboxStatus, OutgoingEmail
from community.models.types import utcnow
from community.outbox.worker import deliver_outbox as outbox_job
from tests.helpers import add_organiser, csrf_token, log_in
from tests.mail_server import StallingRelay

# Far longer than the test waits for a page: a request that waited on the relay would show.
RELAY_TIMEOUT = 120


@pytest.fixture
def stalled_relay(mail_server):
    with StallingRelay(mail_server.port) as relay:
        relay.stalled.set()
        yield relay


def _answers_while_the_relay_hangs(action) -> object:
    """Runs one request; it must come back while the relay is still hanging."""
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(response=action()), daemon=True)
    thread.start()
    thread.join(timeout=15)
    assert not thread.is_alive(), "the request waited on the mail relay"
    return outcome["response"]


def _eventually(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _plain_client(app) -> FlaskClient:
    """A client that does not wait for the outbox, as a browser would not."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def test_rsvp_subscribe_and_cancel_answer_while_the_relay_hangs_and_mail_follows(
    make_app, session, make_event, stalled_relay, mail_server
):
    app = make_app(SMTP_URL=stalled_relay.url, SMTP_TIMEOUT_SECONDS=RELAY_TIMEOUT)
    visitor, organiser = _plain_client(app), _plain_client(app)
    event = make_event()
    for number in range(40):
        register(
            session=session,
            event_id=event.id,
            person=Person(f"P{number}", f"p{number}@example.org"),
        )
    session.commit()
    add_organiser(session)
    log_in(organiser)

    page = visitor.get(f"/events/{event.id}").get_data(as_text=True)
    rsvp = _answers_while_the_relay_hangs(
        lambda: visitor.post(
            f"/events/{event.id}/rsvp",
            data={"name": "Ada", "email": "ada@example.org", "csrf_token": csrf_token(page)},
        )
    )
    page = visitor.get("/newsletter").get_data(as_text=True)
    subscribe = _answers_while_the_relay_hangs(
        lambda: visitor.post(
            "/newsletter",
            data={"email": "grace@example.org", "name": "Grace", "csrf_token": csrf_token(page)},
        )
    )
    page = organiser.get(f"/admin/events/{event.id}").get_data(as_text=True)
    cancel = _answers_while_the_relay_hangs(
        lambda: organiser.post(
            f"/admin/events/{event.id}/cancel", data={"csrf_token": csrf_token(page)}
        )
    )

    assert (rsvp.status_code, subscribe.status_code, cancel.status_code) == (302, 200, 302)
    assert _eventually(lambda: stalled_relay.connections >= 1)  # the worker waits on it instead
    assert mail_server.received == []

    stalled_relay.recover()
    assert app.extensions["outbox"].wait_until_idle(30)
    session.execute(update(OutgoingEmail).values(next_attempt_at=utcnow()))
    session.commit()  # as when the retry wait is over
    with app.app_context():
        outbox_job()

    recipients = sorted(message["To"] for message in mail_server.received)
    expected = ["ada@example.org", "ada@example.org", "grace@example.org"]
    expected += [f"p{number}@example.org" for number in range(40)]
    assert recipients == sorted(expected)  # ada: her place, then the cancellation
    session.expire_all()
    statuses = set(session.exec(select(OutgoingEmail.status)).all())
    assert statuses == {OutboxStatus.SENT}
