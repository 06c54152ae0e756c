"""Organisers see what waits in the outbox, what failed and why, and can retry."""

from sqlmodel import select

from community.db import session_scope
from community.models import OutboxStatus, OutgoingEmail
from community.outbox import queue_email
from tests.helpers import add_organiser, csrf_token, deliver_outbox, log_in


def test_the_outbox_page_shows_failures_with_their_error_and_retries_one(
    make_app, session, mail_server
):
    mail_server.refuse["gone@example.org"] = "550 5.1.1 No such user"
    app = make_app(SMTP_URL=mail_server.url)
    with app.app_context(), session_scope() as unit:
        queue_email(unit, to="gone@example.org", subject="Your place", text="…")
        queue_email(unit, to="ada@example.org", subject="Your place", text="…")
    deliver_outbox(app)
    client = app.test_client()
    add_organiser(session)
    log_in(client)

    page = client.get("/admin/outbox/").get_data(as_text=True)

    assert "gone@example.org" in page and "550 5.1.1 No such user" in page
    assert "ada@example.org" not in page  # delivered, so nothing to show
    assert 'class="count-failed">1<' in page and 'class="count-sent">1<' in page

    del mail_server.refuse["gone@example.org"]  # the address works again
    failed = session.exec(select(OutgoingEmail).where(OutgoingEmail.status == "failed")).one()
    client.post(f"/admin/outbox/email/{failed.id}/retry", data={"csrf_token": csrf_token(page)})

    assert len(mail_server.to("gone@example.org")) == 1
    session.expire_all()
    assert session.get(OutgoingEmail, failed.id).status == OutboxStatus.SENT


def test_the_outbox_page_is_for_organisers_only(client):
    assert client.get("/admin/outbox/").status_code in (302, 401)


def test_a_retry_without_the_form_token_changes_nothing(make_app, session):
    app = make_app(SMTP_URL="smtp://127.0.0.1:9")
    with app.app_context(), session_scope() as unit:
        queue_email(unit, to="ada@example.org", subject="Hi", text="…")
    deliver_outbox(app)
    client = app.test_client()
    add_organiser(session)
    log_in(client)
    (email,) = session.exec(select(OutgoingEmail)).all()

    client.post(f"/admin/outbox/email/{email.id}/retry", data={})

    session.expire_all()
    assert session.get(OutgoingEmail, email.id).attempts == 1
