"""Organisers see what waits in the outbox, what failed and why, and can retry."""

import re
from html import unescape

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


def _next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return unescape(found.group(1)) if found else None


def test_a_long_outbox_is_shown_a_page_at_a_time_down_to_the_oldest_row(client, session):
    for number in range(1, 121):
        session.add(OutgoingEmail(to_address=f"reader{number}@example.org", subject="Hi", text="…"))
        session.add(OutgoingEmail(to_address="done@example.org", subject="Hi", text="…"))
    session.commit()
    for email in session.exec(select(OutgoingEmail)):
        email.status = OutboxStatus.SENT if email.to_address == "done@example.org" else "failed"
    session.commit()
    add_organiser(session)
    log_in(client)

    html = client.get("/admin/outbox/").get_data(as_text=True)
    assert "reader120@example.org" in html and "reader1@example.org<" not in html
    pages = 1
    while (link := _next_link(html)) is not None:
        html = client.get(link).get_data(as_text=True)
        pages += 1
        assert 'rel="prev"' in html

    assert pages == 3 and "reader1@example.org<" in html and "done@example.org" not in html
    slack = client.get("/admin/outbox/slack").get_data(as_text=True)
    assert "Nothing waiting: every Slack message has been delivered." in slack
    newsletter = client.get("/admin/outbox/newsletter").get_data(as_text=True)
    assert "None: every newsletter delivery so far went through." in newsletter
    failed = session.exec(
        select(OutgoingEmail).where(OutgoingEmail.to_address == "reader1@example.org")
    ).one()
    client.post(f"/admin/outbox/email/{failed.id}/retry", data={"csrf_token": csrf_token(html)})
    session.expire_all()
    assert session.get(OutgoingEmail, failed.id).status != OutboxStatus.FAILED  # queued again
