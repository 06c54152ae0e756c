"""The door page: organisers at any event, a conference's named helpers at that conference
only; the QR link from the confirmation email, typed codes, refusals, session doors and the
attendance table with its CSV."""

import csv
import io
import re
from datetime import timedelta

import time_machine
from sqlmodel import select

from community.conferences.door import check_in_at_door
from community.events import check_in, notifications
from community.events.registrations import Person, cancel_registration, register
from community.models import (
    ConferenceTeamMember,
    Registration,
    SessionAttendance,
    SessionStar,
    TeamRole,
)
from tests.events.check_in_qr import inline_image, read_qr
from tests.helpers import ORGANISER_PASSWORD, add_organiser, csrf_token, deliver_outbox, log_in
from tests.mail_server import plain_text

HELPER = "door@example.org"


def _helper(app, session, conference, email: str = HELPER):
    """A team account named to check people in at `conference`, logged in."""
    account = add_organiser(session, email=email)
    account.role = "team"
    session.add(
        ConferenceTeamMember(
            conference_id=conference.id, organiser_id=account.id, role=TeamRole.HELPER
        )
    )
    session.commit()
    client = app.test_client()
    log_in(client, email, ORGANISER_PASSWORD)
    return client


def _registered(session, event, name="Ada Lovelace", email="ada@example.org") -> Registration:
    registration = register(session=session, event_id=event.id, person=Person(name, email))
    check_in.check_in_code(session, registration)
    session.commit()
    return registration


def _check_in(client, path: str, code: str, door: int = 0):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"code": code, "door": door, "csrf_token": csrf_token(page)})


def _result(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'id="check-in-result"[^>]*>(.*?)</div>', html, re.S)
    assert match, "the page shows no result"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_the_emailed_qr_code_opens_the_door_page_and_checks_the_person_in(
    app, client, session, make_conference, mail_server
):
    programme = make_conference()
    event = programme.event
    registration = register(
        session=session, event_id=event.id, person=Person("Ada Lovelace", "ada@example.org")
    )
    session.commit()
    with app.app_context():  # the outbox worker is woken by a commit in the app's context
        notifications.tell_registration(session, event, registration)
        session.commit()
    deliver_outbox(app)
    message = mail_server.to("ada@example.org")[-1]
    png, _ = inline_image(message, "check-in-qr@community")
    door_link = read_qr(png)
    session.refresh(registration)
    assert check_in.printed_code(registration.check_in_code) in plain_text(message)
    helper = _helper(app, session, programme.conference)

    # The phone's camera app opens the link: the page says who it is before letting them in.
    opened = helper.get(door_link.removeprefix("http://conf.test"), follow_redirects=True)
    assert opened.request.path == "/check-in/conferences/mlopscon"
    assert _result(opened) == "Ada Lovelace Registered. Press Check in to let them in."
    response = helper.post(
        "/check-in/conferences/mlopscon",
        data={
            "code": door_link,
            "door": 0,
            "csrf_token": csrf_token(opened.get_data(as_text=True)),
        },
    )

    assert response.status_code == 200
    assert _result(response) == "Ada Lovelace Ada Lovelace is checked in."
    session.refresh(registration)
    assert registration.checked_in_by == HELPER


def test_checking_in_twice_says_when_and_by_whom_and_changes_nothing(
    app, organiser, session, make_event
):
    event = make_event()
    registration = _registered(session, event)
    path = f"/check-in/events/{event.id}"

    first = _check_in(organiser, path, registration.check_in_code)
    session.refresh(registration)
    let_in_at = registration.checked_in_at
    second = _check_in(organiser, path, check_in.printed_code(registration.check_in_code).lower())

    assert first.status_code == 200 and "Ada Lovelace is checked in." in _result(first)
    clock = check_in.checked_in_time(registration, event)
    assert second.status_code == 409
    assert f"already checked in at {clock} by organiser@example.org" in _result(second)
    session.refresh(registration)
    assert registration.checked_in_at == let_in_at
    assert "1 of 1 registered person checked in" in second.get_data(as_text=True)


def test_a_token_of_another_event_and_a_cancelled_place_are_refused(
    app, organiser, session, make_event
):
    event = make_event(title="Feature Store Workshop")
    other = make_event(title="Drift Meetup")
    elsewhere = _registered(session, other, "Grace Hopper", "grace@example.org")
    cancelled = _registered(session, event)
    cancel_registration(session=session, registration=cancelled)
    session.commit()
    with app.app_context():
        other_token = check_in.check_in_url(elsewhere)
    path = f"/check-in/events/{event.id}"

    wrong_event = _check_in(organiser, path, other_token)
    gave_up = _check_in(organiser, path, cancelled.check_in_code)
    unknown = _check_in(organiser, path, "ZZZZ-ZZZZ")

    assert wrong_event.status_code == 422
    assert "Not checked in. Grace Hopper is registered for “Drift Meetup”" in _result(wrong_event)
    assert gave_up.status_code == 422
    assert "Ada Lovelace cancelled their place" in _result(gave_up)
    assert "No registration has the code ZZZZ-ZZZZ" in _result(unknown)
    session.expire_all()
    assert all(r.checked_in_at is None for r in session.exec(select(Registration)))


def test_a_helper_checks_in_only_at_the_conference_they_were_named_for(
    app, client, session, make_conference, make_event
):
    ours = make_conference(acronym="mlopscon")
    theirs = make_conference(acronym="llmcon", title="LLM Summit")
    meetup = make_event(title="Drift Meetup")
    person = _registered(session, ours.event)
    helper = _helper(app, session, theirs.conference)

    assert helper.get("/check-in/conferences/mlopscon").status_code == 403
    assert _check_in_status(helper, "/check-in/conferences/mlopscon", person) == 403
    assert helper.get(f"/check-in/events/{meetup.id}").status_code == 403
    assert helper.get("/check-in/conferences/llmcon/attendance").status_code == 403
    assert helper.get("/check-in/conferences/llmcon").status_code == 200
    session.refresh(person)
    assert person.checked_in_at is None
    assert client.get("/check-in/conferences/llmcon").status_code == 302  # to the login page


def _check_in_status(client, path: str, registration: Registration) -> int:
    token = csrf_token(client.get("/check-in/conferences/llmcon").get_data(as_text=True))
    response = client.post(path, data={"code": registration.check_in_code, "csrf_token": token})
    return response.status_code


def test_a_session_door_records_attendance_once_besides_the_event_check_in(
    app, session, make_conference
):
    programme = make_conference()
    talk = programme.sessions["Feature stores in practice"]
    person = _registered(session, programme.event)
    helper = _helper(app, session, programme.conference)
    path = "/check-in/conferences/mlopscon"

    at_talk = _check_in(helper, path, person.check_in_code, door=talk.id)
    again = _check_in(helper, path, person.check_in_code, door=talk.id)

    assert at_talk.status_code == 200
    assert "Ada Lovelace is checked in at “Feature stores in practice”." in _result(at_talk)
    assert again.status_code == 409
    assert "already checked in at “Feature stores in practice” at" in _result(again)
    attendances = session.exec(select(SessionAttendance)).all()
    assert [(a.session_id, a.checked_in_by) for a in attendances] == [(talk.id, HELPER)]
    session.refresh(person)
    assert person.checked_in_by == HELPER  # let in at the conference too
    # The helper stays at that door: the page keeps it chosen for the next person.
    page = helper.get(path).get_data(as_text=True)
    assert re.search(rf'<option selected value="{talk.id}">', page)


def test_a_session_of_another_conference_is_no_door_here(app, session, make_conference):
    programme = make_conference()
    other = make_conference(acronym="llmcon", title="LLM Summit")
    person = _registered(session, programme.event)
    helper = _helper(app, session, programme.conference)
    foreign = other.sessions["Opening keynote"]

    response = _check_in(helper, "/check-in/conferences/mlopscon", person.check_in_code, foreign.id)

    assert response.status_code == 400  # not one of the door choices the page offers
    assert "not part of this conference" in _result(response)
    assert session.exec(select(SessionAttendance)).all() == []


def test_organisers_see_attendance_per_session_and_download_it(
    app, organiser, session, make_conference
):
    programme = make_conference()
    talk = programme.sessions["Feature stores in practice"]
    came = _registered(session, programme.event)
    stayed_away = _registered(session, programme.event, "Grace Hopper", "grace@example.org")
    session.add_all(
        SessionStar(session_id=talk.id, registration_id=person.id) for person in (came, stayed_away)
    )
    session.commit()
    with app.app_context():
        check_in_at_door(session, programme.conference, came.check_in_code, HELPER, talk)
    session.commit()

    with time_machine.travel(programme.event.ends_at + timedelta(hours=1), tick=True):
        log_in(organiser)  # days later: yesterday's login has ended
        page = organiser.get("/check-in/conferences/mlopscon/attendance").get_data(as_text=True)
        response = organiser.get("/check-in/conferences/mlopscon/attendance.csv")

    row = re.search(r"<tr><td>Feature stores in practice</td>.*?</tr>", page).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "1", "1"]
    assert re.search(r'id="attendance-no-shows">1<', page)
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == ["session", "starts_at", "stage", "starred", "checked_in", "no_shows"]
    talk_row = next(r for r in rows if r["session"] == "Feature stores in practice")
    assert (talk_row["stage"], talk_row["starred"], talk_row["checked_in"]) == (
        "Main Stage",
        "2",
        "1",
    )
    assert talk_row["no_shows"] == "1"
    assert "Lunch" not in {r["session"] for r in rows}  # nobody checks in at a break


def test_the_events_door_of_a_conference_leads_to_its_door(organiser, make_conference):
    programme = make_conference()
    response = organiser.get(f"/check-in/events/{programme.event.id}?token=abc")
    assert response.status_code == 307
    assert response.headers["Location"].endswith("/check-in/conferences/mlopscon?token=abc")
