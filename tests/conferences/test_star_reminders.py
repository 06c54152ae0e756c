"""The Slack DM 10 minutes before each starred session: once per start, through the outbox to
the stand-in Slack Web API, for stars given in Slack and on the web."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from community.conferences.jobs import remind_starred_sessions
from community.conferences.stars import star, unstar
from community.models import Member, OutgoingSlackMessage, Registration, RegistrationStatus
from community.models.types import utcnow
from community.outbox.worker import deliver_outbox as outbox_job
from community.scheduler.timetable import find
from tests.helpers import deliver_outbox
from tests.slack.conftest import InlineExecutor
from tests.slack.fake_slack import FakeSlack
from tests.slack.signed_requests import SIGNING_SECRET


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def app_config(app_config, slack):
    return {
        **app_config,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "SLACK_LISTENER_EXECUTOR": InlineExecutor(),
        "SLACK_MESSAGES_PER_SECOND": 0,
    }


@pytest.fixture
def clock():
    """A Monday in June: the conference ten days on has no clock change in it."""
    with time_machine.travel(datetime(2026, 6, 8, 8, 0, tzinfo=UTC), tick=True) as traveller:
        yield traveller


@pytest.fixture
def ada(session):
    """A member in New York, six hours behind the conference in Berlin."""
    member = Member(slack_id="U1", name="Ada", email="ada@example.org", tz="America/New_York")
    session.add(member)
    session.commit()
    return member


def _dms(slack, user_id: str) -> list[dict]:
    return [call for call in slack.calls_to("chat.postMessage") if call["channel"] == user_id]


def _run_job(app, clock, moment: datetime) -> None:
    """The every-minute job at `moment`, then the outbox worker and its retry job."""
    clock.move_to(moment)
    with app.app_context():
        remind_starred_sessions()
    deliver_outbox(app)
    with app.app_context():
        outbox_job()


def test_a_dm_goes_ten_minutes_before_a_starred_session_and_only_once(
    app, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]
    star(session, keynote, member=ada)
    session.commit()
    starts = keynote.starts_at

    _run_job(app, clock, starts - timedelta(minutes=11))
    assert _dms(slack, "U1") == []

    _run_job(app, clock, starts - timedelta(minutes=10))
    (dm,) = _dms(slack, "U1")
    text = dm["text"] + str(dm["blocks"])
    assert "Starting in 10 minutes" in text and "Opening keynote" in text
    assert "http://conf.test/conferences/mlopscon/sessions/opening-keynote" in text
    assert "Main Stage" in text
    assert "03:00–03:45" in text  # Ada's time in New York
    assert "09:00" in text  # and the conference's, in Berlin

    _run_job(app, clock, starts - timedelta(minutes=9))  # the next minute's run
    _run_job(app, clock, starts - timedelta(minutes=9))  # and one run twice
    assert len(_dms(slack, "U1")) == 1
    assert session.exec(select(OutgoingSlackMessage)).one().status == "sent"


def test_no_dm_for_a_session_unstarred_or_never_starred(
    app, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]
    star(session, keynote, member=ada)
    unstar(session, keynote, member=ada)
    star(session, programme.sessions["Platform teams panel"], member=ada)
    session.commit()

    _run_job(app, clock, keynote.starts_at - timedelta(minutes=5))

    assert _dms(slack, "U1") == []


def test_a_moved_session_is_reminded_again_for_its_new_start(
    app, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    talk = programme.sessions["Feature stores in practice"]
    star(session, talk, member=ada)
    session.commit()
    _run_job(app, clock, talk.starts_at - timedelta(minutes=10))

    talk.starts_at += timedelta(hours=3)  # moved to the afternoon, before it began
    session.commit()
    _run_job(app, clock, talk.starts_at - timedelta(minutes=20))
    assert len(_dms(slack, "U1")) == 1  # not yet: twenty minutes ahead

    _run_job(app, clock, talk.starts_at - timedelta(minutes=8))

    first, second = _dms(slack, "U1")
    assert "04:00–04:30" in first["text"] and "07:00–07:30" in second["text"]


def test_after_a_pause_longer_than_the_lead_no_late_reminder_is_sent(
    app, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]
    star(session, keynote, member=ada)
    session.commit()

    # The scheduler was down from twenty minutes before until five minutes after the start.
    _run_job(app, clock, keynote.starts_at + timedelta(minutes=5))

    assert _dms(slack, "U1") == []


def test_a_removed_session_is_not_reminded(app, slack, session, clock, ada, make_conference):
    programme = make_conference()
    keynote = programme.sessions["Opening keynote"]
    star(session, keynote, member=ada)
    session.commit()
    starts = keynote.starts_at
    session.delete(keynote)
    session.commit()

    _run_job(app, clock, starts - timedelta(minutes=10))

    assert _dms(slack, "U1") == []


def test_a_web_star_reaches_the_member_of_the_registration_with_the_join_link(
    app, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    workshop = programme.sessions["Evaluating LLM apps"]  # on the virtual stage
    registration = Registration(
        event_id=programme.event.id, name="Ada", email="Ada@Example.org", confirmed_at=utcnow()
    )  # linked to Ada by her address, not by id
    session.add(registration)
    session.commit()
    star(session, workshop, registration=registration)
    star(session, workshop, member=ada)  # starred in Slack as well: still one DM
    session.commit()

    _run_job(app, clock, workshop.starts_at - timedelta(minutes=10))

    (dm,) = _dms(slack, "U1")
    assert "https://stream.example.org/b" in str(dm["blocks"])
    assert "Alan Turing, Ada Lovelace" in str(dm["blocks"])


def test_the_join_link_is_only_for_people_holding_a_place(
    app, slack, session, clock, make_conference
):
    programme = make_conference()
    workshop = programme.sessions["Evaluating LLM apps"]
    grace = Member(slack_id="U2", name="Grace", email="grace@example.org", tz="Europe/Berlin")
    bo = Member(slack_id="U3", name="Bo", email="bo@example.org")
    session.add_all([grace, bo])
    session.flush()
    cancelled = Registration(
        event_id=programme.event.id,
        name="Bo",
        email="bo@example.org",
        member_id=bo.id,
        status=RegistrationStatus.CANCELLED,
    )
    cy = Member(slack_id="U4", name="Cy", email="cy@work.example")
    session.add(cy)
    session.flush()
    linked = Registration(
        event_id=programme.event.id, name="Cy", email="cy@home.example", member_id=cy.id
    )  # registered on the web under another address, linked to Cy's member row
    session.add_all([cancelled, linked])
    session.flush()
    star(session, workshop, member=grace)  # not registered at all
    star(session, workshop, registration=cancelled)  # gave up their place
    star(session, workshop, registration=linked)
    session.commit()

    _run_job(app, clock, workshop.starts_at - timedelta(minutes=10))

    (dm,) = _dms(slack, "U2")
    assert "stream.example.org" not in str(dm)
    assert f"http://conf.test/events/{programme.event.id}" in str(dm["blocks"])
    assert "10:00–11:30" in dm["text"]  # Grace is in Berlin: one zone, no second time
    assert _dms(slack, "U3") == []
    (linked_dm,) = _dms(slack, "U4")
    assert "https://stream.example.org/b" in str(linked_dm["blocks"])


def test_the_scheduler_runs_the_reminders_every_minute(
    app, runner, slack, session, clock, ada, make_conference
):
    programme = make_conference()
    panel = programme.sessions["Platform teams panel"]
    star(session, panel, member=ada)
    session.commit()
    clock.move_to(panel.starts_at - timedelta(minutes=3))

    result = runner.invoke(args=["scheduler", "run-job", "conferences.star_reminders"])

    assert result.exit_code == 0, result.output
    deliver_outbox(app)
    (dm,) = _dms(slack, "U1")
    assert "Starting in 3 minutes" in dm["text"]
    assert find("conferences.star_reminders", app.extensions["settings"]).schedule == "every 1 min"
