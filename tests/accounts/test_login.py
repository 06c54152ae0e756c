import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from community.models import LoginAttempt, Organiser
from tests.helpers import (
    ORGANISER_EMAIL,
    ORGANISER_PASSWORD,
    add_organiser,
    csrf_token,
    log_in,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_organiser_logs_in_and_reaches_the_dashboard(client, session):
    add_organiser(session)

    response = log_in(client)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert ORGANISER_EMAIL in dashboard.get_data(as_text=True)


def test_wrong_password_is_refused_and_recorded(client, session):
    add_organiser(session)

    response = log_in(client, password="not the password")

    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    attempts = session.exec(select(LoginAttempt)).all()
    assert [(a.email, a.succeeded) for a in attempts] == [(ORGANISER_EMAIL, False)]


def test_login_form_without_csrf_token_is_refused(client, session):
    add_organiser(session)

    response = client.post(
        "/login", data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    )

    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_admin_pages_send_anonymous_visitors_to_login(client):
    response = client.get("/admin/jobs")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_session_cookie_is_http_only_and_same_site(client, session):
    add_organiser(session)

    response = log_in(client)

    cookies = response.headers.getlist("Set-Cookie")
    cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_passwords_are_stored_hashed(session):
    organiser = add_organiser(session)

    stored = session.get(Organiser, organiser.id)
    assert ORGANISER_PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_ignores_a_next_link_to_another_site(client, session):
    add_organiser(session)
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/login?next=https://evil.example/steal",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
    )

    assert response.headers["Location"] == "/admin/"


def test_login_follows_a_next_path_on_this_site(client, session):
    add_organiser(session)
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/login?next=/admin/jobs",
        data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD, "csrf_token": token},
    )

    assert response.headers["Location"] == "/admin/jobs"


def test_logout_needs_the_form_token_and_ends_the_session(client, session):
    add_organiser(session)
    log_in(client)
    dashboard = client.get("/admin/").get_data(as_text=True)

    assert client.post("/logout").status_code == 400  # no CSRF token: refused
    assert client.get("/admin/").status_code == 200

    client.post("/logout", data={"csrf_token": csrf_token(dashboard)})
    assert client.get("/admin/").status_code == 302


def test_deactivated_organiser_cannot_log_in(client, session):
    organiser = add_organiser(session)
    organiser.active = False
    session.add(organiser)
    session.commit()

    assert log_in(client).status_code == 401


def test_behind_a_trusted_proxy_attempts_are_recorded_with_the_client_address(make_app, session):
    client = make_app(TRUSTED_PROXY_HOPS=1).test_client()
    add_organiser(session)
    token = csrf_token(client.get("/login").get_data(as_text=True))

    client.post(
        "/login",
        data={"email": ORGANISER_EMAIL, "password": "wrong", "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )

    (attempt,) = session.exec(select(LoginAttempt)).all()
    assert attempt.remote_addr == "203.0.113.7"


def test_an_unknown_email_is_refused_like_a_wrong_password(client, session):
    add_organiser(session)

    response = log_in(client, email="stranger@example.org")

    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)


def test_starting_the_app_computes_no_password_hash(tmp_path):
    """Every `flask` command imports the accounts; scrypt waits for the first login."""
    probe = (
        "import app\n"
        "from community.accounts.services import unknown_user_hash\n"
        "print(unknown_user_hash.cache_info().currsize)\n"
    )
    env = {
        **os.environ,
        "SECRET_KEY": "a-secret-key-for-this-test-that-is-long-enough",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'community.db'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split()[-1] == "0"
