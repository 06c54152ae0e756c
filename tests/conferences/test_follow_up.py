"""After a conference, each registered person gets one email with their sessions' recordings
and slides and a link to the feedback survey: once, however often it is sent."""

import re

import pytest
from sqlmodel import select

from community.conferences.follow_up import send_follow_up
from community.models import (
    Member,
    OutgoingEmail,
    Registration,
    RegistrationStatus,
    SessionAttendance,
    SessionStar,
)
from community.models.conferences import FollowUpEmail
from tests.helpers import csrf_token, deliver_outbox
from tests.mail_server import plain_text

RECORDED = {
    "Feature stores in practice": ("https://video.example.org/fs", "https://slides.example.org/fs"),
    "Evaluating LLM apps": ("https://video.example.org/llm", None),
    "Platform teams panel": (None, "https://slides.example.org/panel"),
}


def person(session, programme, name: str, email: str, **fields) -> Registration:
    registration = Registration(event_id=programme.event.id, name=name, email=email, **fields)
    session.add(registration)
    session.flush()
    return registration


@pytest.fixture
def ended(make_conference, session):
    """A conference that ended yesterday, three sessions recorded, and five people:
    Ada attended one session, Grace starred one on the web, Alan starred one from Slack,
    Bob did neither, and Carol cancelled."""
    programme = make_conference(days_ahead=-3)
    for title, (recording, slides) in RECORDED.items():
        programme.sessions[title].recording_url = recording
        programme.sessions[title].slides_url = slides
    sessions = programme.sessions
    ada = person(session, programme, "Ada Byron", "ada@people.test")
    grace = person(session, programme, "Grace Brewster", "grace@people.test")
    member = Member(slack_id="U0ALAN", name="Alan")
    session.add(member)
    session.flush()
    person(session, programme, "Alan Mathison", "alan@people.test", member_id=member.id)
    person(session, programme, "Bob Builder", "bob@people.test")
    person(
        session, programme, "Carol Gone", "carol@people.test", status=RegistrationStatus.CANCELLED
    )
    session.add_all(
        [
            SessionAttendance(
                session_id=sessions["Feature stores in practice"].id, registration_id=ada.id
            ),
            SessionStar(session_id=sessions["Evaluating LLM apps"].id, registration_id=grace.id),
            SessionStar(session_id=sessions["Platform teams panel"].id, member_id=member.id),
            # a break has no recording: starring it changes nothing
            SessionStar(session_id=sessions["Lunch"].id, registration_id=ada.id),
        ]
    )
    session.commit()
    return programme


def send(runner, acronym: str = "mlopscon"):
    return runner.invoke(args=["conferences", "send-follow-up", acronym])


def only_email(mail_server, address: str) -> str:
    (message,) = mail_server.to(address)
    assert message["Subject"] == "Recordings and slides from MLOps World Conference"
    return plain_text(message)


def test_each_registered_person_gets_the_recordings_of_their_own_sessions(
    runner, mail_server, ended
):
    result = send(runner)

    assert result.exit_code == 0, result.output
    assert "Follow-up email sent to 4 people." in result.output
    ada = only_email(mail_server, "ada@people.test")
    assert "Feature stores in practice" in ada and "https://video.example.org/fs" in ada
    assert "https://slides.example.org/fs" in ada and "Evaluating LLM apps" not in ada
    assert "sessions you attended or starred" in ada
    grace = only_email(mail_server, "grace@people.test")
    assert "https://video.example.org/llm" in grace and "Feature stores" not in grace
    alan = only_email(mail_server, "alan@people.test")
    assert "https://slides.example.org/panel" in alan and "Evaluating" not in alan
    bob = only_email(mail_server, "bob@people.test")
    assert all(title in bob for title in RECORDED)  # nothing of his own: every recording
    assert "Opening keynote" not in bob  # not recorded
    assert mail_server.to("carol@people.test") == []
    assert re.search(r"http://conf\.test/conferences/mlopscon/feedback/\S+", bob)
    (message,) = mail_server.to("ada@people.test")
    html = message.get_body(("html",)).get_content()
    assert 'href="https://video.example.org/fs"' in html and "Rate the sessions" in html


def test_sending_again_or_later_reaches_only_those_who_have_not_had_it(
    runner, mail_server, ended, session
):
    send(runner)
    person(session, ended, "Dora Late", "dora@people.test")
    session.commit()

    again = send(runner)
    third = send(runner)

    assert "sent to 1 person; 4 people had it already" in again.output
    assert "sent to 0 people; 5 people had it already" in third.output
    for address in ("ada", "grace", "alan", "bob", "dora"):
        assert len(mail_server.to(f"{address}@people.test")) == 1


def test_a_run_that_crashes_before_it_commits_leaves_nobody_marked_or_mailed(
    app, runner, mail_server, ended, session
):
    with app.app_context():
        send_follow_up(session, ended.conference)
        session.rollback()  # what a crash mid-way does to the unit of work

    assert session.exec(select(OutgoingEmail)).all() == []
    assert session.exec(select(FollowUpEmail)).all() == []
    send(runner)
    deliver_outbox(app)
    assert len(mail_server.received) == 4
    emails = session.exec(select(OutgoingEmail)).all()
    assert len(emails) == len(session.exec(select(FollowUpEmail)).all()) == 4


def test_the_follow_up_waits_until_the_conference_is_over(runner, make_conference, mail_server):
    make_conference(days_ahead=3)

    result = send(runner)

    assert result.exit_code != 0
    assert "has not ended yet" in result.output
    assert mail_server.received == []


def test_the_follow_up_waits_for_a_recording_or_slides(runner, make_conference, mail_server):
    make_conference(days_ahead=-3)

    result = send(runner)

    assert result.exit_code != 0 and "No session has a recording or slides yet" in result.output


def test_an_unknown_conference_is_named(runner):
    result = send(runner, "nope")

    assert result.exit_code != 0 and "No conference has the acronym 'nope'" in result.output


def test_the_organisers_button_sends_it_and_says_to_how_many(organiser, mail_server, ended):
    page = organiser.get("/admin/conferences/mlopscon/recordings").get_data(as_text=True)

    response = organiser.post(
        "/admin/conferences/mlopscon/follow-up",
        data={"csrf_token": csrf_token(page)},
        follow_redirects=True,
    )

    assert "Follow-up email sent to 4 people." in response.get_data(as_text=True)
    assert len(mail_server.received) == 4
    again = organiser.get("/admin/conferences/mlopscon/recordings").get_data(as_text=True)
    assert "sending again reaches only people who have not had it" in again


def test_the_button_before_the_end_explains_instead_of_sending(
    organiser, make_conference, mail_server
):
    make_conference(days_ahead=3)
    page = organiser.get("/admin/conferences/mlopscon/recordings").get_data(as_text=True)
    assert 'id="send-follow-up" disabled' in page

    response = organiser.post(
        "/admin/conferences/mlopscon/follow-up",
        data={"csrf_token": csrf_token(page)},
        follow_redirects=True,
    )

    assert "has not ended yet" in response.get_data(as_text=True)
    assert mail_server.received == []
