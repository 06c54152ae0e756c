"""Members RSVP on the public page; a full event has a waitlist promoted in order."""

import re

from sqlmodel import select

from community.models import Registration, RegistrationStatus
from community.models.types import utcnow
from tests.helpers import csrf_token
from tests.mail_server import plain_text


def _rsvp(client, event_id: int, name: str, email: str, *, follow: bool = True):
    token = csrf_token(client.get(f"/events/{event_id}").get_data(as_text=True))
    return client.post(
        f"/events/{event_id}/rsvp",
        data={"name": name, "email": email, "csrf_token": token},
        follow_redirects=follow,
    )


def _cancel_link(message) -> str:
    match = re.search(r"http://events\.test(/events/registration/\S+)", plain_text(message))
    assert match, "the email has no link to cancel"
    return match.group(1)


def _statuses(session, event_id: int) -> dict[str, str]:
    session.expire_all()
    rows = session.exec(select(Registration).where(Registration.event_id == event_id)).all()
    return {row.email: row.status for row in rows}


def _confirm(client, message):
    link = _cancel_link(message)
    page = client.get(link).get_data(as_text=True)
    return client.post(
        f"{link}/confirm", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )


def test_a_full_event_waitlists_and_a_cancellation_promotes_the_next_person(
    app, make_event, session, mail_server
):
    event = make_event(capacity=2)
    for name in ("Ada", "Grace", "Linus"):
        email = f"{name.lower()}@example.org"
        assert _rsvp(app.test_client(), event.id, name, email).status_code == 200
        page = _confirm(app.test_client(), mail_server.to(email)[0])

    assert "on the waitlist" in page.get_data(as_text=True)
    assert "(number 1)" in page.get_data(as_text=True)
    assert _statuses(session, event.id) == {
        "ada@example.org": RegistrationStatus.REGISTERED,
        "grace@example.org": RegistrationStatus.REGISTERED,
        "linus@example.org": RegistrationStatus.WAITLISTED,
    }
    waitlisted_mail = mail_server.to("linus@example.org")[-1]
    assert waitlisted_mail["Subject"].startswith("You are on the waitlist")

    grace_mail = mail_server.to("grace@example.org")[-1]
    client = app.test_client()
    manage = client.get(_cancel_link(grace_mail))
    cancelled = client.post(
        _cancel_link(grace_mail) + "/cancel",
        data={"csrf_token": csrf_token(manage.get_data(as_text=True))},
        follow_redirects=True,
    )

    assert "cancelled" in cancelled.get_data(as_text=True)
    assert _statuses(session, event.id)["linus@example.org"] == RegistrationStatus.REGISTERED
    promoted_mail = mail_server.to("linus@example.org")[-1]
    assert promoted_mail["Subject"].startswith("You have a place")


def test_the_join_link_goes_only_to_people_with_a_place(app, make_event, mail_server):
    event = make_event(capacity=1, format="online", join_url="https://meet.example.org/secret-room")
    client = app.test_client()

    assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    _rsvp(client, event.id, "Ada", "ada@example.org")
    registered = _confirm(client, mail_server.to("ada@example.org")[0])
    _rsvp(app.test_client(), event.id, "Grace", "grace@example.org")
    waitlisted = _confirm(app.test_client(), mail_server.to("grace@example.org")[0])

    assert "secret-room" in registered.get_data(as_text=True)
    assert "secret-room" in plain_text(mail_server.to("ada@example.org")[-1])
    assert "secret-room" not in waitlisted.get_data(as_text=True)
    assert all("secret-room" not in plain_text(m) for m in mail_server.to("grace@example.org"))


def test_registering_twice_with_one_email_keeps_one_registration(client, make_event, session):
    event = make_event()
    _rsvp(client, event.id, "Ada", "ada@example.org")

    again = _rsvp(client, event.id, "Ada L.", "ADA@example.org")

    assert again.status_code == 200
    assert len(_statuses(session, event.id)) == 1


def test_an_rsvp_after_registration_closed_is_refused(client, make_event, session):
    event = make_event(registration_closes_at=utcnow().replace(microsecond=0))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Registration has closed" in page and 'id="rsvp-form"' not in page
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        f"/events/{event.id}/rsvp",
        data={"name": "Ada", "email": "ada@example.org", "csrf_token": token},
    )

    assert response.status_code == 400
    assert "Registration has closed" in response.get_data(as_text=True)
    assert _statuses(session, event.id) == {}


def test_an_rsvp_with_a_bad_email_or_no_csrf_token_changes_nothing(client, make_event, session):
    event = make_event()

    bad_email = _rsvp(client, event.id, "Ada", "not-an-address")
    no_token = client.post(f"/events/{event.id}/rsvp", data={"name": "Ada", "email": "a@b.org"})

    assert bad_email.status_code == 400
    assert "is not an email address" in bad_email.get_data(as_text=True)
    assert no_token.status_code == 400
    assert _statuses(session, event.id) == {}


def test_a_forged_registration_link_is_not_found(client, make_event):
    make_event()

    assert client.get("/events/registration/1.forged-signature").status_code == 404
    assert client.post("/events/registration/MQ.forged/cancel").status_code in (400, 404)


def test_an_smtp_outage_keeps_the_registration(make_app, make_event, session):
    client = make_app(SMTP_URL="smtp://127.0.0.1:9").test_client()  # nothing listens there
    event = make_event()

    response = _rsvp(client, event.id, "Ada", "ada@example.org")

    assert response.status_code == 200
    assert _statuses(session, event.id) == {"ada@example.org": RegistrationStatus.REGISTERED}


def test_drafts_are_not_public(client, make_event):
    draft = make_event(status="draft")

    assert client.get(f"/events/{draft.id}").status_code == 404
    assert "Feature Store Workshop" not in client.get("/events").get_data(as_text=True)


def test_nobody_is_promoted_once_the_event_has_started(session, make_event):
    from datetime import timedelta

    from community.events.registrations import Person, cancel_registration, register

    event = make_event(capacity=1, starts_at=utcnow() + timedelta(hours=1))
    first = register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    register(session=session, event_id=event.id, person=Person("Grace", "grace@example.org"))
    event.starts_at = utcnow() - timedelta(minutes=10)  # the event is under way
    session.commit()

    assert cancel_registration(session=session, registration=first) == []
    assert _statuses(session, event.id)["grace@example.org"] == RegistrationStatus.WAITLISTED
