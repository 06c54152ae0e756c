"""`flask users list | reset-password | remove`: accounts managed from the command line."""

import re

from tests.helpers import ORGANISER_EMAIL, ORGANISER_PASSWORD, add_organiser, log_in

NEW_PASSWORD = "a brand new passphrase"


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_users_list_shows_email_name_whether_active_and_last_login(runner, client, session):
    add_organiser(session)
    runner.invoke(
        args=["users", "create-organiser", "ada@example.org", "--name", "Ada Lovelace"],
        input=f"{ORGANISER_PASSWORD}\n",
    )
    retired = add_organiser(session, email="retired@example.org")
    retired.active = False
    reviewer = add_organiser(session, email="rita@example.org")
    reviewer.role = "team"
    session.add_all([retired, reviewer])
    session.commit()
    log_in(client)

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert lines[0] == ["EMAIL", "NAME", "ACTIVE", "ROLE", "LAST", "LOGIN"]
    assert lines[1] == ["ada@example.org", "Ada", "Lovelace", "yes", "organiser", "never"]
    assert lines[2][:4] == [ORGANISER_EMAIL, "-", "yes", "organiser"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", " ".join(lines[2][4:]))
    assert lines[3] == ["retired@example.org", "-", "no", "organiser", "never"]
    assert lines[4] == ["rita@example.org", "-", "yes", "team", "never"]


def test_users_list_without_organisers_says_how_to_add_one(runner):
    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0, result.output
    assert "users create-organiser" in result.output


def test_reset_password_ends_the_sessions_and_only_the_new_password_works(app, runner, session):
    add_organiser(session)
    browser = app.test_client()
    log_in(browser)

    result = runner.invoke(args=["users", "reset-password", ORGANISER_EMAIL], input=NEW_PASSWORD)

    assert result.exit_code == 0, result.output
    assert "their sessions have ended" in result.output
    assert browser.get("/admin/").status_code == 302
    assert log_in(app.test_client()).status_code == 401
    assert log_in(app.test_client(), password=NEW_PASSWORD).status_code == 302


def test_reset_password_can_make_up_the_password(app, runner, session):
    add_organiser(session)

    result = runner.invoke(args=["users", "reset-password", ORGANISER_EMAIL, "--generate"])

    assert result.exit_code == 0, result.output
    generated = re.search(r"Password: (\S+)", result.output)[1]
    assert len(generated) >= 16
    assert log_in(app.test_client(), password=generated).status_code == 302


def test_reset_password_lifts_the_wait_that_guessing_put_on_the_account(app, runner, session):
    add_organiser(session)
    for number in range(1, 5):
        for _ in range(5):
            log_in(client_at(app, f"203.0.113.{number}"), password="a guess")
    assert log_in(client_at(app, "192.0.2.50")).status_code == 429

    runner.invoke(args=["users", "reset-password", ORGANISER_EMAIL], input=NEW_PASSWORD)

    assert log_in(client_at(app, "192.0.2.50"), password=NEW_PASSWORD).status_code == 302


def test_reset_password_refuses_an_unknown_email_and_a_short_password(runner, session):
    add_organiser(session)

    unknown = runner.invoke(args=["users", "reset-password", "who@example.org"], input=NEW_PASSWORD)
    short = runner.invoke(args=["users", "reset-password", ORGANISER_EMAIL], input="short")

    assert unknown.exit_code != 0
    assert "no organiser has the email who@example.org" in unknown.output
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output


def test_remove_asks_first_and_keeps_the_account_when_told_no(app, runner, session):
    add_organiser(session)

    result = runner.invoke(args=["users", "remove", ORGANISER_EMAIL], input="n\n")

    assert result.exit_code != 0
    assert f"Remove the organiser {ORGANISER_EMAIL}?" in result.output
    assert log_in(app.test_client()).status_code == 302


def test_remove_ends_the_sessions_and_the_account(app, runner, session):
    add_organiser(session)
    browser = app.test_client()
    log_in(browser)

    result = runner.invoke(args=["users", "remove", ORGANISER_EMAIL], input="y\n")

    assert result.exit_code == 0, result.output
    assert browser.get("/admin/").status_code == 302
    assert log_in(app.test_client()).status_code == 401
    assert ORGANISER_EMAIL not in runner.invoke(args=["users", "list"]).output


def test_an_account_created_again_opens_none_of_the_removed_ones_sessions(app, runner, session):
    add_organiser(session)
    browser = app.test_client()
    log_in(browser)
    runner.invoke(args=["users", "remove", ORGANISER_EMAIL, "--yes"])

    created = runner.invoke(
        args=["users", "create-organiser", ORGANISER_EMAIL], input=f"{NEW_PASSWORD}\n"
    )

    assert created.exit_code == 0, created.output
    assert browser.get("/admin/").status_code == 302


def test_remove_refuses_an_unknown_email(runner):
    result = runner.invoke(args=["users", "remove", "who@example.org", "--yes"])

    assert result.exit_code != 0
    assert "no organiser has the email who@example.org" in result.output
