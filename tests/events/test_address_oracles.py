"""The event page tells a stranger nothing about who registered: an RSVP or a request for
the registration link answers the same for every address, and only the address's owner
learns anything, by email."""

import re

from sqlmodel import select

from community.events.registrations import Person, register
from community.models import OutgoingEmail
from tests.helpers import csrf_token
from tests.mail_server import plain_text


def _post(client, event_id: int, path: str, **fields):
    token = csrf_token(client.get(f"/events/{event_id}").get_data(as_text=True))
    return client.post(
        f"/events/{event_id}/{path}", data={**fields, "csrf_token": token}, follow_redirects=True
    )


def _answer(response, email: str) -> tuple[int, str]:
    """The response as a stranger sees it, with the address they typed taken out."""
    return response.status_code, response.get_data(as_text=True).replace(email, "ADDRESS")


def _registered(session, event, email: str, **person):
    register(session=session, event_id=event.id, person=Person("Ada", email, **person))
    session.commit()


def test_an_rsvp_answers_the_same_for_a_registered_and_a_new_address(
    app, make_event, session, mail_server
):
    event = make_event(capacity=1)
    _registered(session, event, "known@example.org")

    known = _post(app.test_client(), event.id, "rsvp", name="X", email="known@example.org")
    new = _post(app.test_client(), event.id, "rsvp", name="X", email="new@example.org")

    assert _answer(known, "known@example.org") == _answer(new, "new@example.org")
    (notice,) = mail_server.to("known@example.org")
    assert notice["Subject"].startswith("Your registration")
    assert "You are registered" in plain_text(notice)
    assert re.search(r"http://events\.test/events/registration/\S+", plain_text(notice))
    (request,) = mail_server.to("new@example.org")
    assert request["Subject"].startswith("Please confirm your waitlist spot")


def test_an_address_on_the_waitlist_is_not_told_apart_either(app, make_event, session, mail_server):
    event = make_event(capacity=0)
    _registered(session, event, "waiting@example.org")

    waiting = _post(app.test_client(), event.id, "rsvp", name="X", email="waiting@example.org")
    new = _post(app.test_client(), event.id, "rsvp", name="X", email="new@example.org")

    assert _answer(waiting, "waiting@example.org") == _answer(new, "new@example.org")
    assert "You are on its waitlist" in plain_text(mail_server.to("waiting@example.org")[0])


def test_asking_for_the_registration_link_answers_the_same_for_any_address(
    app, make_event, session, mail_server
):
    event = make_event()
    _registered(session, event, "known@example.org")
    page = app.test_client().get(f"/events/{event.id}").get_data(as_text=True)
    assert 'id="registration-link-form"' in page

    known = _post(app.test_client(), event.id, "registration-link", email="known@example.org")
    unknown = _post(app.test_client(), event.id, "registration-link", email="nobody@example.org")

    assert known.status_code == 200
    assert _answer(known, "known@example.org") == _answer(unknown, "nobody@example.org")
    (link,) = mail_server.to("known@example.org")
    assert re.search(r"http://events\.test/events/registration/\S+", plain_text(link))
    assert mail_server.to("nobody@example.org") == []


def test_both_answers_queue_the_mail_instead_of_sending_it(
    make_app, make_event, session, mail_server
):
    app = make_app(SMTP_URL="smtp://127.0.0.1:9")  # nothing listens: sending inline would fail
    event = make_event()
    _registered(session, event, "known@example.org")

    known = _post(app.test_client(), event.id, "rsvp", name="X", email="known@example.org")
    new = _post(app.test_client(), event.id, "rsvp", name="X", email="new@example.org")

    assert _answer(known, "known@example.org") == _answer(new, "new@example.org")
    session.expire_all()
    waiting = session.exec(select(OutgoingEmail.to_address)).all()
    assert sorted(waiting) == ["known@example.org", "new@example.org"]
