"""Reviewers and door helpers: invited by email, they set a password through a signed link,
land on /team, and are refused on the organiser pages."""

import re
from datetime import timedelta

import time_machine
from sqlmodel import select

from community.models import ConferenceTeamMember, Organiser
from community.models.types import utcnow
from tests.helpers import ORGANISER_EMAIL, csrf_token, log_in
from tests.mail_server import plain_text

NEW_PASSWORD = "reviewing all night long"
WELCOME = re.compile(r"http://conf\.test(/team/welcome/[A-Za-z0-9._-]+)")


def _invite(client, acronym: str, *, name: str, email: str, role: str = "reviewer"):
    page = client.get(f"/admin/conferences/{acronym}").get_data(as_text=True)
    return client.post(
        f"/admin/conferences/{acronym}/team",
        data={
            "csrf_token": csrf_token(page),
            "invite-name": name,
            "invite-email": email,
            "invite-role": role,
        },
    )


def _welcome_path(mail_server, address: str) -> str:
    messages = mail_server.to(address)
    assert messages, f"no email reached {address}"
    match = WELCOME.search(plain_text(messages[-1]))
    assert match, "the invitation has a link to set a password"
    return match.group(1)


def _set_password(client, path: str, password: str = NEW_PASSWORD, repeat: str | None = None):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(
        path,
        data={"csrf_token": token, "new_password": password, "repeat_password": repeat or password},
    )


def test_an_invited_reviewer_sets_a_password_from_the_email_and_lands_on_team(
    app, organiser, session, make_conference, mail_server
):
    make_conference()

    invited = _invite(organiser, "mlopscon", name="Rita Reviewer", email="Rita@Example.org")

    assert invited.status_code == 302
    assert "Invited rita@example.org as a reviewer" in organiser.get(invited.location).get_data(
        as_text=True
    )
    email = mail_server.to("rita@example.org")[-1]
    assert email["Subject"] == "You are a reviewer at MLOps World Conference"
    assert "for 7 days" in plain_text(email)
    account = session.exec(select(Organiser).where(Organiser.email == "rita@example.org")).one()
    assert (account.role, account.name, account.is_organiser) == ("team", "Rita Reviewer", False)

    reviewer = app.test_client()
    welcomed = _set_password(reviewer, _welcome_path(mail_server, "rita@example.org"))

    assert welcomed.status_code == 302 and welcomed.location.endswith("/team")
    home = reviewer.get("/team").get_data(as_text=True)
    assert "mlopscon" in home and 'href="/review/mlopscon"' in home
    assert "You are a reviewer" in home


def test_a_team_account_is_refused_on_organiser_pages_and_sent_to_team_after_login(
    app, organiser, session, make_conference, mail_server
):
    make_conference()
    _invite(organiser, "mlopscon", name="Dora Door", email="dora@example.org", role="helper")
    helper = app.test_client()
    _set_password(helper, _welcome_path(mail_server, "dora@example.org"))

    for path in ("/admin/", "/admin/conferences", "/admin/conferences/mlopscon", "/admin/events/"):
        assert helper.get(path).status_code == 403, path
    assert 'href="/check-in/conferences/mlopscon"' in helper.get("/team").get_data(as_text=True)

    again = app.test_client()
    logged_in = log_in(again, "dora@example.org", NEW_PASSWORD)
    assert logged_in.status_code == 302 and logged_in.location.endswith("/team")
    assert again.get("/login").location.endswith("/team")


def test_the_link_works_once(app, organiser, make_conference, mail_server):
    make_conference()
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    path = _welcome_path(mail_server, "rita@example.org")
    _set_password(app.test_client(), path)

    second = app.test_client().get(path)

    assert second.status_code == 410
    assert "used already" in second.get_data(as_text=True)


def test_the_link_expires_after_seven_days(app, organiser, session, make_conference, mail_server):
    make_conference()
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    path = _welcome_path(mail_server, "rita@example.org")

    with time_machine.travel(utcnow() + timedelta(days=7, hours=1), tick=True):
        late = app.test_client().get(path)

    assert late.status_code == 410
    assert "more than 7 days old" in late.get_data(as_text=True)


def test_a_forged_link_is_refused(app):
    answer = app.test_client().get("/team/welcome/WzEsMTIzXQ.forged.signature")
    assert answer.status_code == 410
    assert "not a valid invitation" in answer.get_data(as_text=True)


def test_the_password_follows_the_account_rules(
    app, organiser, session, make_conference, mail_server
):
    make_conference()
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    path = _welcome_path(mail_server, "rita@example.org")
    reviewer = app.test_client()

    short = _set_password(reviewer, path, "short")
    different = _set_password(reviewer, path, NEW_PASSWORD, "another long password")

    assert short.status_code == different.status_code == 400
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert "differ" in different.get_data(as_text=True)
    assert reviewer.get("/team").status_code == 302  # still logged out
    assert _set_password(reviewer, path).status_code == 302  # the link still works


def test_a_full_organiser_gets_the_role_and_no_new_account(
    organiser, session, make_conference, mail_server
):
    programme = make_conference()

    invited = _invite(organiser, "mlopscon", name="Org", email=ORGANISER_EMAIL)

    assert invited.status_code == 302
    accounts = session.exec(select(Organiser)).all()
    assert [(account.email, account.role) for account in accounts] == [
        (ORGANISER_EMAIL, "organiser")
    ]
    member = session.exec(select(ConferenceTeamMember)).one()
    assert (member.conference_id, member.role) == (programme.conference.id, "reviewer")
    assert "/team/welcome/" not in plain_text(mail_server.to(ORGANISER_EMAIL)[-1])


def test_one_account_serves_two_conferences_and_a_role_is_named_once(
    app, organiser, session, make_conference, mail_server
):
    make_conference()
    make_conference(acronym="llmcon", title="LLM Conference")
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")

    twice = _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    other = _invite(organiser, "llmcon", name="Rita R.", email="rita@example.org", role="helper")

    assert twice.status_code == 400
    assert "already a reviewer at mlopscon" in twice.get_data(as_text=True)
    assert other.status_code == 302
    assert len(session.exec(select(Organiser).where(Organiser.role == "team")).all()) == 1
    reviewer = app.test_client()
    _set_password(reviewer, _welcome_path(mail_server, "rita@example.org"))
    home = reviewer.get("/team").get_data(as_text=True)
    assert 'href="/review/mlopscon"' in home and 'href="/check-in/conferences/llmcon"' in home


def test_an_account_that_logged_in_before_is_told_to_log_in_not_sent_a_password_link(
    app, organiser, session, make_conference, mail_server
):
    make_conference()
    make_conference(acronym="llmcon", title="LLM Conference")
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    _set_password(app.test_client(), _welcome_path(mail_server, "rita@example.org"))

    _invite(organiser, "llmcon", name="Rita Reviewer", email="rita@example.org")

    text = plain_text(mail_server.to("rita@example.org")[-1])
    assert "/team/welcome/" not in text and "http://conf.test/review/llmcon" in text


def test_a_removed_team_member_loses_the_conference(
    app, organiser, session, make_conference, mail_server
):
    make_conference()
    _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita@example.org")
    reviewer = app.test_client()
    _set_password(reviewer, _welcome_path(mail_server, "rita@example.org"))
    member = session.exec(select(ConferenceTeamMember)).one()
    page = organiser.get("/admin/conferences/mlopscon").get_data(as_text=True)
    assert "rita@example.org" in page

    removed = organiser.post(
        f"/admin/conferences/mlopscon/team/{member.id}/remove",
        data={"csrf_token": csrf_token(page)},
    )

    assert removed.status_code == 302
    assert session.exec(select(ConferenceTeamMember)).first() is None
    assert 'href="/review/mlopscon"' not in reviewer.get("/team").get_data(as_text=True)


def test_a_bad_address_is_refused_with_the_form_kept(organiser, session, make_conference):
    make_conference()

    answer = _invite(organiser, "mlopscon", name="Rita Reviewer", email="rita-at-example")

    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "is not an email address" in page and 'value="Rita Reviewer"' in page
    assert session.exec(select(ConferenceTeamMember)).first() is None
