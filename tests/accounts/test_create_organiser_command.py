from sqlmodel import select

from community.models import Organiser
from tests.helpers import log_in


def test_create_organiser_reads_the_password_from_stdin_and_allows_login(runner, client):
    result = runner.invoke(
        args=["users", "create-organiser", "New.Organiser@Example.org"],
        input="correct horse battery\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created organiser new.organiser@example.org" in result.output
    response = log_in(client, "new.organiser@example.org", "correct horse battery")
    assert response.status_code == 302


def test_create_organiser_refuses_a_short_password(runner, session):
    result = runner.invoke(args=["users", "create-organiser", "a@example.org"], input="short\n")

    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert session.exec(select(Organiser)).all() == []


def test_create_organiser_refuses_a_duplicate_email(runner):
    args = ["users", "create-organiser", "a@example.org"]
    assert runner.invoke(args=args, input="first password\n").exit_code == 0

    result = runner.invoke(args=args, input="second password\n")

    assert result.exit_code != 0
    assert "already exists" in result.output


def test_create_organiser_refuses_something_that_is_not_an_email(runner):
    result = runner.invoke(
        args=["users", "create-organiser", "not-an-address"], input="long enough pass\n"
    )

    assert result.exit_code != 0
    assert "not an email address" in result.output
