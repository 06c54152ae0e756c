"""Check-in at the door: the confirmation email's QR code and code, let in once, and the
refusals a helper must see (another event, a cancelled, lapsed or waitlisted place, a
forged or unknown code); the organiser's attendance numbers and CSV."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from sqlmodel import select

from community.events import check_in
from community.events.check_in import CheckInRefused
from community.events.registrations import Person, cancel_registration, register
from community.models import Registration, RegistrationStatus
from community.models.types import utcnow
from tests.events.check_in_qr import inline_image, read_qr
from tests.helpers import csrf_token, deliver_outbox
from tests.mail_server import plain_text

HELPER = "helper@example.org"
CODE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


def _rsvp_and_confirm(client, event_id: int, name: str, email: str, mail_server):
    """As a person does it: the event page's form, then the link in the email."""
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    client.post(
        f"/events/{event_id}/rsvp",
        data={"name": name, "email": email, "csrf_token": csrf_token(page)},
    )
    link = re.search(
        r"http://events\.test(/events/registration/\S+)", plain_text(mail_server.to(email)[-1])
    )
    page = client.get(link.group(1)).get_data(as_text=True)
    client.post(f"{link.group(1)}/confirm", data={"csrf_token": csrf_token(page)})
    return link.group(1)


def _registered(session, event, name="Ada Lovelace", email="ada@example.org") -> Registration:
    registration = register(session=session, event_id=event.id, person=Person(name, email))
    check_in.check_in_code(session, registration)
    session.commit()
    return registration


def test_the_confirmation_email_shows_a_qr_code_of_the_door_link_and_the_code(
    app, client, session, make_event, mail_server
):
    event = make_event()
    manage_path = _rsvp_and_confirm(
        client, event.id, "Ada Lovelace", "ada@example.org", mail_server
    )
    deliver_outbox(app)

    message = next(
        m
        for m in mail_server.to("ada@example.org")
        if m["Subject"].startswith("You are registered")
    )
    registration = session.exec(select(Registration)).one()
    printed = check_in.printed_code(registration.check_in_code)
    png, content_type = inline_image(message, "check-in-qr@community")
    assert content_type == "image/png"
    door_link = urlsplit(read_qr(png))
    assert (door_link.netloc, door_link.path) == ("events.test", f"/check-in/events/{event.id}")
    with app.app_context():
        assert parse_qs(door_link.query)["token"] == [check_in.check_in_token(registration)]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert 'src="cid:check-in-qr@community"' in html and printed in html
    assert f"check-in code: {printed}" in plain_text(message)
    # The calendar file is still an attachment beside the inline picture.
    assert [part.get_filename() for part in message.iter_attachments()] == [f"{event.slug}.ics"]

    page = client.get(manage_path).get_data(as_text=True)
    assert printed in page and "<svg" in page  # the same code, shown on their own page


def test_a_person_is_checked_in_once_and_a_second_scan_says_when_and_by_whom(
    app, session, make_event
):
    event = make_event()
    registration = _registered(session, event)
    with app.app_context():
        token = check_in.check_in_url(registration)

        first = check_in.check_in(session, event, token, by=HELPER)
        session.commit()
        let_in_at = first.registration.checked_in_at
        with time_machine.travel(utcnow() + timedelta(minutes=5)):
            second = check_in.check_in(session, event, registration.check_in_code, by="other@x.org")

    assert not first.already and first.message == "Ada Lovelace is checked in."
    assert first.registration.checked_in_by == HELPER
    assert second.already
    clock = check_in.checked_in_time(second.registration, event)
    assert second.message == f"Ada Lovelace is already checked in at {clock} by {HELPER}."
    assert second.registration.checked_in_at == let_in_at
    assert second.registration.checked_in_by == HELPER


def test_a_typed_code_is_read_whatever_its_case_dashes_and_look_alike_letters(
    app, session, make_event
):
    event = make_event()
    registration = _registered(session, event)
    registration.check_in_code = "K0QM1XPA"
    session.commit()
    with app.app_context():
        done = check_in.check_in(session, event, " koqm-ixpa ", by=HELPER)
    assert done.registration.id == registration.id and not done.already


def test_the_code_stays_the_same_once_given(session, make_event):
    event = make_event()
    registration = _registered(session, event)
    code = registration.check_in_code
    assert CODE.fullmatch(check_in.printed_code(code))
    assert check_in.check_in_code(session, registration) == code


def test_a_token_or_code_of_another_event_is_refused(app, session, make_event):
    event = make_event(title="Feature Store Workshop")
    other = make_event(title="Drift Meetup")
    elsewhere = _registered(session, other, "Grace Hopper", "grace@example.org")
    with app.app_context():
        for value in (check_in.check_in_token(elsewhere), elsewhere.check_in_code):
            with pytest.raises(CheckInRefused, match="registered for “Drift Meetup”, not for"):
                check_in.check_in(session, event, value, by=HELPER)
    session.refresh(elsewhere)
    assert elsewhere.checked_in_at is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (RegistrationStatus.CANCELLED, "cancelled their place"),
        (RegistrationStatus.EXPIRED, "their place was released"),
        (RegistrationStatus.WAITLISTED, "is on the waitlist and has no place"),
    ],
)
def test_a_place_that_is_not_held_lets_nobody_in(app, session, make_event, status, reason):
    event = make_event()
    registration = _registered(session, event)
    registration.status = status
    session.commit()
    with app.app_context(), pytest.raises(CheckInRefused, match=reason):
        check_in.check_in(session, event, check_in.check_in_token(registration), by=HELPER)
    session.refresh(registration)
    assert registration.checked_in_at is None


def test_a_cancelled_place_is_refused_after_the_person_cancels(app, session, make_event):
    event = make_event()
    registration = _registered(session, event)
    cancel_registration(session=session, registration=registration)
    session.commit()
    with app.app_context(), pytest.raises(CheckInRefused, match="Ada Lovelace cancelled"):
        check_in.check_in(session, event, registration.check_in_code, by=HELPER)


def test_a_forged_token_and_an_unknown_code_are_refused_with_what_to_do(app, session, make_event):
    event = make_event()
    registration = _registered(session, event)
    with app.app_context():
        forged = check_in.check_in_token(registration)[:-3] + "abc"
        with pytest.raises(CheckInRefused, match="not issued here .* ask for the code"):
            check_in.check_in(session, event, f"http://events.test/x?token={forged}", by=HELPER)
        with pytest.raises(CheckInRefused, match="No registration has the code ZZZZ-ZZZZ"):
            check_in.check_in(session, event, "ZZZZ-ZZZZ", by=HELPER)
        with pytest.raises(CheckInRefused, match="Type the code"):
            check_in.check_in(session, event, "  ", by=HELPER)


def test_no_shows_are_counted_once_the_event_has_ended(app, session, make_event):
    event = make_event()
    came = _registered(session, event)
    _registered(session, event, "Grace Hopper", "grace@example.org")
    with app.app_context():
        check_in.check_in(session, event, came.check_in_code, by=HELPER)
    session.commit()

    before = check_in.attendance_summary(session, event)
    after = check_in.attendance_summary(session, event, now=event.ends_at + timedelta(minutes=1))

    assert (before.registered, before.checked_in, before.no_shows) == (2, 1, None)
    assert (after.registered, after.checked_in, after.no_shows) == (2, 1, 1)


def test_the_organiser_page_and_csv_show_who_checked_in_when(app, organiser, session, make_event):
    event = make_event()
    came = _registered(session, event)
    _registered(session, event, "Grace Hopper", "grace@example.org")
    with app.app_context():
        check_in.check_in(session, event, came.check_in_code, by=HELPER)
    session.commit()
    clock = check_in.checked_in_time(came, event)

    page = organiser.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert re.search(r'id="attendance-registered">2<', page)
    assert re.search(r'id="attendance-checked-in">1<', page)
    assert f"{clock} by {HELPER}" in page
    assert f'href="http://events.test/check-in/events/{event.id}"' in page

    response = organiser.get(f"/admin/events/{event.id}/attendees.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_name = {row["name"]: row for row in rows}
    assert by_name["Ada Lovelace"]["checked_in_by"] == HELPER
    session.refresh(came)
    assert by_name["Ada Lovelace"]["checked_in_at"] == came.checked_in_at.isoformat()
    assert (
        by_name["Grace Hopper"]["checked_in_at"] == by_name["Grace Hopper"]["checked_in_by"] == ""
    )
