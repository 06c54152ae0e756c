"""Password guessing is slowed down where it comes from, and never locks the owner out."""

from datetime import timedelta

import pytest
import time_machine

from community.accounts.jobs import prune_login_attempts
from community.models.types import utcnow
from tests.helpers import add_organiser, csrf_token, log_in

WRONG = "not the password"
OWNER_ADDRESS = "198.51.100.20"


def client_at(app, address: str):
    """A browser at another client address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, times: int, email: str | None = None) -> list[int]:
    email_given = {"email": email} if email else {}
    return [log_in(client, password=WRONG, **email_given).status_code for _ in range(times)]


def log_out(client) -> None:
    token = csrf_token(client.get("/admin/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


@pytest.fixture
def clock():
    """Stands still unless the test moves it, so the waits the app reports are exact."""
    with time_machine.travel(utcnow(), tick=False) as traveller:
        yield traveller


def test_after_five_failures_that_address_waits_even_with_the_right_password(
    client, session, clock
):
    add_organiser(session)
    assert fail(client, 5) == [401] * 5

    response = log_in(client)

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert "Try again in 30 seconds" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_the_right_password_from_another_address_logs_in_while_a_guesser_waits(app, session):
    add_organiser(session)
    guesser = client_at(app, "203.0.113.7")
    assert fail(guesser, 8) == [401] * 5 + [429] * 3

    owner = client_at(app, OWNER_ADDRESS)
    response = log_in(owner)

    assert response.status_code == 302
    assert owner.get("/admin/").status_code == 200


def test_each_further_failure_doubles_the_wait_and_the_right_password_then_works(
    client, session, clock
):
    add_organiser(session)
    fail(client, 5)

    clock.shift(timedelta(seconds=30))
    assert fail(client, 2) == [401, 429]
    assert log_in(client).headers["Retry-After"] == "60"
    clock.shift(timedelta(seconds=60))
    response = log_in(client)

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_login_starts_the_count_of_mistakes_afresh(client, session):
    add_organiser(session)
    assert fail(client, 4) == [401] * 4
    assert log_in(client).status_code == 302
    log_out(client)

    assert fail(client, 5) == [401] * 5


def test_guessing_from_many_addresses_slows_new_addresses_but_not_the_owners_own(app, session):
    add_organiser(session)
    owner = client_at(app, OWNER_ADDRESS)
    assert log_in(owner).status_code == 302
    log_out(owner)
    for number in range(1, 5):
        assert fail(client_at(app, f"203.0.113.{number}"), 5) == [401] * 5

    newcomer = log_in(client_at(app, "192.0.2.50"))
    owner_again = log_in(owner)

    assert newcomer.status_code == 429
    assert int(newcomer.headers["Retry-After"]) > 0
    assert owner_again.status_code == 302


def test_guessing_many_accounts_from_one_address_makes_that_address_wait(app, session, clock):
    add_organiser(session)
    sprayer = client_at(app, "203.0.113.9")
    for number in range(5):
        assert fail(sprayer, 4, email=f"someone{number}@example.org") == [401] * 4

    response = log_in(sprayer, email="another@example.org")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert log_in(client_at(app, OWNER_ADDRESS)).status_code == 302


def test_the_nightly_housekeeping_keeps_the_owners_addresses_known(app, session, clock):
    add_organiser(session)
    owner = client_at(app, OWNER_ADDRESS)
    assert log_in(owner).status_code == 302
    log_out(owner)
    assert fail(client_at(app, "203.0.113.77"), 5) == [401] * 5
    clock.shift(timedelta(days=2))
    with app.app_context():
        prune_login_attempts()

    for number in range(1, 5):
        assert fail(client_at(app, f"203.0.113.{number}"), 5) == [401] * 5

    assert log_in(client_at(app, "192.0.2.50")).status_code == 429
    assert log_in(owner).status_code == 302
