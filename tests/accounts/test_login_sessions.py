"""A session ends on the server: a copied cookie, an old form token or another device's
session stops working when the organiser logs out or changes the password, and a login left
idle ends."""

from datetime import timedelta

import pytest
import time_machine

from community.models.types import utcnow
from tests.helpers import ORGANISER_EMAIL, ORGANISER_PASSWORD, add_organiser, csrf_token, log_in

NEW_PASSWORD = "a brand new passphrase"


def log_out(client) -> None:
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def copy_of_session(app, client):
    """Another browser holding a copy of this one's session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def change_password(client, current: str, new: str, repeat: str | None = None):
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "repeat_password": new if repeat is None else repeat,
            "csrf_token": token,
        },
    )


def test_a_copied_session_cookie_stops_working_when_the_organiser_logs_out(app, client, session):
    add_organiser(session)
    log_in(client)
    copy = copy_of_session(app, client)
    assert copy.get("/admin/").status_code == 200

    log_out(client)

    response = copy.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logging_out_ends_the_organisers_sessions_on_other_devices(app, session):
    add_organiser(session)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone)

    log_out(laptop)

    assert phone.get("/admin/").status_code == 302


def test_a_form_token_from_before_login_is_refused_after_it(client, session):
    add_organiser(session)
    token_before = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token_before},
    )

    response = client.post("/logout", data={"csrf_token": token_before})

    assert response.status_code == 400
    assert client.get("/admin/").status_code == 200


def test_a_form_token_from_before_logout_is_refused_after_it(client, session):
    add_organiser(session)
    log_in(client)
    token_before = csrf_token(client.get("/admin/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token_before})

    response = client.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token_before},
    )

    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, session):
    add_organiser(session)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone)

    response = change_password(laptop, ORGANISER_PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    dashboard = laptop.get("/admin/")
    assert dashboard.status_code == 200
    assert "Your password is changed" in dashboard.get_data(as_text=True)
    assert phone.get("/admin/").status_code == 302
    assert log_in(app.test_client()).status_code == 401
    assert log_in(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_the_password_page_refuses_a_wrong_current_password(app, client, session):
    add_organiser(session)
    log_in(client)

    response = change_password(client, "not my password", NEW_PASSWORD)

    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert log_in(app.test_client()).status_code == 302


def test_a_stolen_session_cannot_guess_the_password_on_the_password_page(client, session):
    add_organiser(session)
    log_in(client)
    statuses = [change_password(client, f"guess {n}", NEW_PASSWORD).status_code for n in range(6)]

    assert statuses == [400] * 5 + [429]
    assert change_password(client, ORGANISER_PASSWORD, NEW_PASSWORD).status_code == 429


def test_the_password_page_says_when_the_new_passwords_differ_or_are_short(app, client, session):
    add_organiser(session)
    log_in(client)

    differ = change_password(client, ORGANISER_PASSWORD, NEW_PASSWORD, repeat="something else")
    short = change_password(client, ORGANISER_PASSWORD, "short")

    assert differ.status_code == 400
    assert "The two new passwords differ" in differ.get_data(as_text=True)
    assert short.status_code == 400
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert log_in(app.test_client()).status_code == 302


def test_the_password_page_is_for_logged_in_organisers_only(client):
    response = client.get("/account/password")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "LOGIN_IDLE_MINUTES": 30}


def test_a_login_left_idle_for_longer_than_the_setting_ends(client, session):
    add_organiser(session)
    with time_machine.travel(utcnow(), tick=False) as clock:
        log_in(client)
        clock.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200

        clock.shift(timedelta(minutes=31))
        response = client.get("/admin/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_each_request_keeps_a_login_alive_for_another_idle_window(client, session):
    add_organiser(session)
    with time_machine.travel(utcnow(), tick=False) as clock:
        log_in(client)
        for _ in range(4):  # two hours of work, a page every 25 minutes
            clock.shift(timedelta(minutes=25))
            assert client.get("/admin/").status_code == 200


def test_a_copied_cookie_of_an_idle_login_is_refused_by_the_server(app, client, session):
    """The browser forgets an expired cookie; a copy replayed later must not work either."""
    add_organiser(session)
    with time_machine.travel(utcnow(), tick=False) as clock:
        log_in(client)
        copy = copy_of_session(app, client)
        clock.shift(timedelta(minutes=31))
        response = copy.get("/admin/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
