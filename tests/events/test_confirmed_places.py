"""Places go to people who can be reached: an RSVP from the event page holds its place only
until its email is confirmed, and the join link reaches only the address's owner."""

import re
import threading
from datetime import timedelta

import httpx
import time_machine
from sqlmodel import select

from community.models import Event, Registration, RegistrationStatus
from community.models.types import utcnow
from tests.helpers import add_organiser, csrf_token, deliver_outbox, log_in
from tests.mail_server import plain_text

JOIN_URL = "https://meet.example.org/secret-room"


def _rsvp(client, event_id: int, name: str, email: str):
    token = csrf_token(client.get(f"/events/{event_id}").get_data(as_text=True))
    return client.post(
        f"/events/{event_id}/rsvp",
        data={"name": name, "email": email, "csrf_token": token},
        follow_redirects=True,
    )


def _registration_link(message) -> str:
    match = re.search(r"http://events\.test(/events/registration/\S+)", plain_text(message))
    assert match, "the email has no link to the registration"
    return match.group(1)


def _confirm(client, message):
    link = _registration_link(message)
    page = client.get(link).get_data(as_text=True)
    return client.post(
        f"{link}/confirm", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )


def _statuses(session, event_id: int) -> dict[str, str]:
    session.expire_all()
    rows = session.exec(select(Registration).where(Registration.event_id == event_id)).all()
    return {row.email: row.status for row in rows}


def _release_holds(app) -> None:
    """What the scheduler's events.release_holds job does every minute."""
    from community.events.jobs import release_unconfirmed_holds

    with app.app_context():
        release_unconfirmed_holds()
    deliver_outbox(app)


def test_the_page_an_rsvp_lands_on_shows_no_join_link_and_no_registration(
    client, make_event, mail_server
):
    event = make_event(format="online", join_url=JOIN_URL)

    landed = _rsvp(client, event.id, "Ada", "invented@example.org")

    page = landed.get_data(as_text=True)
    assert landed.status_code == 200
    assert "secret-room" not in page
    assert "/events/registration/" not in page and "Check your inbox" in page
    (email,) = mail_server.to("invented@example.org")
    assert email["Subject"].startswith("Please confirm your place")
    assert "secret-room" not in plain_text(email)


def test_the_join_link_comes_once_the_address_is_confirmed(app, client, make_event, mail_server):
    event = make_event(format="online", join_url=JOIN_URL)
    _rsvp(client, event.id, "Ada", "ada@example.org")
    (request,) = mail_server.to("ada@example.org")
    unconfirmed = client.get(_registration_link(request)).get_data(as_text=True)
    assert "secret-room" not in unconfirmed and "Confirm my place" in unconfirmed

    confirmed = _confirm(app.test_client(), request).get_data(as_text=True)

    assert "secret-room" in confirmed and "you are <strong>registered</strong>" in confirmed
    welcome = mail_server.to("ada@example.org")[-1]
    assert welcome["Subject"].startswith("You are registered")
    assert JOIN_URL in plain_text(welcome)


def test_an_unconfirmed_hold_lapses_and_its_place_goes_to_the_waitlist(
    app, client, make_event, session, mail_server
):
    event = make_event(capacity=1)
    _rsvp(client, event.id, "Invented", "invented@example.org")  # never confirmed
    _rsvp(app.test_client(), event.id, "Grace", "grace@example.org")
    _confirm(app.test_client(), mail_server.to("grace@example.org")[0])
    assert _statuses(session, event.id) == {
        "invented@example.org": RegistrationStatus.REGISTERED,
        "grace@example.org": RegistrationStatus.WAITLISTED,
    }

    _release_holds(app)  # within the hold: nothing moves
    assert _statuses(session, event.id)["grace@example.org"] == RegistrationStatus.WAITLISTED
    with time_machine.travel(utcnow() + timedelta(minutes=31), tick=True):
        _release_holds(app)

    assert _statuses(session, event.id) == {
        "invented@example.org": RegistrationStatus.EXPIRED,
        "grace@example.org": RegistrationStatus.REGISTERED,
    }
    assert mail_server.to("grace@example.org")[-1]["Subject"].startswith("You have a place")


def test_the_hold_lasts_as_long_as_the_setting_says(make_app, make_event, session, mail_server):
    app = make_app(RSVP_HOLD_MINUTES=5)
    event = make_event(capacity=1)
    _rsvp(app.test_client(), event.id, "Invented", "invented@example.org")
    assert "until" in plain_text(mail_server.to("invented@example.org")[0])

    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=True):
        _release_holds(app)

    assert _statuses(session, event.id) == {"invented@example.org": RegistrationStatus.EXPIRED}
    page = app.test_client().get(f"/events/{event.id}").get_data(as_text=True)
    assert "0 going · 1 place left" in page


def test_unconfirmed_people_on_the_waitlist_are_passed_over(
    app, client, make_event, session, mail_server
):
    event = make_event(capacity=1)
    _rsvp(client, event.id, "Ada", "ada@example.org")
    _confirm(app.test_client(), mail_server.to("ada@example.org")[0])
    _rsvp(app.test_client(), event.id, "Invented", "invented@example.org")  # waits, unconfirmed
    _rsvp(app.test_client(), event.id, "Grace", "grace@example.org")
    _confirm(app.test_client(), mail_server.to("grace@example.org")[0])

    ada_link = _registration_link(mail_server.to("ada@example.org")[0])
    visitor = app.test_client()
    page = visitor.get(ada_link).get_data(as_text=True)
    visitor.post(f"{ada_link}/cancel", data={"csrf_token": csrf_token(page)})

    statuses = _statuses(session, event.id)
    assert statuses["grace@example.org"] == RegistrationStatus.REGISTERED
    assert statuses["invented@example.org"] == RegistrationStatus.WAITLISTED


def test_a_lapsed_hold_confirmed_late_takes_a_place_if_one_is_free(
    app, client, make_event, session, mail_server
):
    event = make_event(capacity=1)
    _rsvp(client, event.id, "Ada", "ada@example.org")
    with time_machine.travel(utcnow() + timedelta(minutes=31), tick=True):
        _release_holds(app)
        assert _statuses(session, event.id)["ada@example.org"] == RegistrationStatus.EXPIRED

        page = _confirm(app.test_client(), mail_server.to("ada@example.org")[0])

    assert "you are <strong>registered</strong>" in page.get_data(as_text=True)
    assert _statuses(session, event.id)["ada@example.org"] == RegistrationStatus.REGISTERED


def test_an_organiser_can_let_rsvps_take_places_without_confirmation(
    app, client, session, make_event, mail_server
):
    add_organiser(session)
    organiser = app.test_client()
    log_in(organiser)
    event = make_event(format="online", join_url=JOIN_URL)
    form = organiser.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert 'name="rsvp_needs_confirmation"' in form and "checked" in form
    organiser.post(
        f"/admin/events/{event.id}/edit",
        data={
            "csrf_token": csrf_token(form),
            "title": event.title,
            "kind": "meetup",
            "format": "online",
            "join_url": JOIN_URL,
            "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at),
            "timezone": "UTC",
        },  # the box left unticked
    )
    session.expire_all()
    assert session.get(Event, event.id).rsvp_needs_confirmation is False

    landed = _rsvp(client, event.id, "Ada", "ada@example.org").get_data(as_text=True)

    (registration,) = session.exec(select(Registration)).all()
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.hold_expires_at is None
    assert "secret-room" not in landed  # still only by email
    assert JOIN_URL in plain_text(mail_server.to("ada@example.org")[0])


def _local(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_the_last_place_goes_to_one_of_many_simultaneous_rsvps(live_server, make_event, session):
    event = make_event(capacity=1)
    people = 8
    start = threading.Barrier(people)
    answers = []

    def rsvp(number: int) -> None:
        with httpx.Client(base_url=live_server, timeout=60) as browser:
            token = csrf_token(browser.get(f"/events/{event.id}").text)
            start.wait(timeout=30)
            answer = browser.post(
                f"/events/{event.id}/rsvp",
                data={"name": f"P{number}", "email": f"p{number}@example.org", "csrf_token": token},
            )
            answers.append(answer.status_code)

    threads = [threading.Thread(target=rsvp, args=(number,)) for number in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert answers == [302] * people
    statuses = list(_statuses(session, event.id).values())
    assert statuses.count(RegistrationStatus.REGISTERED) == 1
    assert statuses.count(RegistrationStatus.WAITLISTED) == people - 1


def test_a_flood_of_invented_addresses_keeps_no_one_out_for_longer_than_the_hold(
    app, live_server, make_event, session, mail_server
):
    event = make_event(capacity=3)
    with httpx.Client(base_url=live_server, timeout=30) as stranger:
        token = csrf_token(stranger.get(f"/events/{event.id}").text)
        for number in range(12):
            form = {"name": "X", "email": f"made-up-{number}@example.org", "csrf_token": token}
            assert stranger.post(f"/events/{event.id}/rsvp", data=form).status_code == 302
    _rsvp(app.test_client(), event.id, "Grace", "grace@example.org")
    deliver_outbox(app)
    _confirm(app.test_client(), mail_server.to("grace@example.org")[0])
    assert _statuses(session, event.id)["grace@example.org"] == RegistrationStatus.WAITLISTED

    with time_machine.travel(utcnow() + timedelta(minutes=31), tick=True):
        _release_holds(app)

    statuses = _statuses(session, event.id)
    assert statuses.pop("grace@example.org") == RegistrationStatus.REGISTERED
    assert set(statuses.values()) == {RegistrationStatus.EXPIRED}
