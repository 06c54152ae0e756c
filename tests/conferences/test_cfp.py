"""The public call for proposals: open between its times, a confirmation email with the
speaker's own link, edits and withdrawal through it until the call closes."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import select

from community.models import EventStatus, Proposal, ProposalStatus
from community.models.types import utcnow
from tests.helpers import csrf_token
from tests.mail_server import plain_text

SPEAKER = "ada@example.org"


@pytest.fixture
def programme(make_conference, session):
    """A conference whose call opened a day ago and closes in three days."""
    programme = make_conference()
    open_call(session, programme, opened=timedelta(days=1), closes=timedelta(days=3))
    return programme


def open_call(session, programme, *, opened: timedelta, closes: timedelta) -> None:
    conference = programme.conference
    conference.cfp_opens_at = utcnow() - opened
    conference.cfp_closes_at = utcnow() + closes
    conference.cfp_description = "We want **war stories** from production."
    session.add(conference)
    session.commit()


def proposal_form(**overrides) -> dict[str, str]:
    data = {
        "title": "Feature stores at scale",
        "abstract": "How we *served* features to 200 models.",
        "format": "talk",
        "track": "",
        "name": "Ada Lovelace",
        "email": SPEAKER,
        "bio": "Builds ML platforms.",
        "co_speakers-0-name": "Grace Hopper",
        "co_speakers-0-email": "grace@example.org",
        "co_speakers-0-bio": "Compilers.",
    }
    return {**data, **overrides}


def submit(client, acronym: str = "mlopscon", **overrides):
    page = client.get(f"/conferences/{acronym}/cfp").get_data(as_text=True)
    data = {**proposal_form(**overrides), "csrf_token": csrf_token(page)}
    return client.post(f"/conferences/{acronym}/cfp", data=data)


def edit_link(message) -> str:
    match = re.search(r"http://conf\.test(/conferences/\S+/cfp/proposals/\S+)", plain_text(message))
    assert match, "the email has no link to the proposal"
    return match.group(1)


def proposals(session) -> list[Proposal]:
    session.expire_all()
    return list(session.exec(select(Proposal).order_by(Proposal.id)))


def test_the_call_takes_proposals_only_between_its_opening_and_closing(
    client, make_conference, session
):
    programme = make_conference()
    open_call(session, programme, opened=-timedelta(days=2), closes=timedelta(days=5))
    opens_at, closes_at = programme.conference.cfp_opens_at, programme.conference.cfp_closes_at

    before = client.get("/conferences/mlopscon/cfp").get_data(as_text=True)
    with time_machine.travel(opens_at + timedelta(minutes=1)):
        opened = client.get("/conferences/mlopscon/cfp").get_data(as_text=True)
    with time_machine.travel(closes_at - timedelta(minutes=10)):
        last_minutes = client.get("/conferences/mlopscon/cfp").get_data(as_text=True)
    with time_machine.travel(closes_at + timedelta(minutes=10)):
        after = client.get("/conferences/mlopscon/cfp").get_data(as_text=True)
        late = client.post(
            "/conferences/mlopscon/cfp",
            data={**proposal_form(), "csrf_token": csrf_token(last_minutes)},
        )

    assert "The call for proposals opens on" in before and 'id="cfp-form"' not in before
    assert berlin_clock(opens_at) in before
    assert 'id="cfp-form"' in opened and "war stories" in opened
    assert "The call for proposals closed on" in after and 'id="cfp-form"' not in after
    assert berlin_clock(closes_at) in after
    assert late.status_code == 400
    assert "The call for proposals is not open" in late.get_data(as_text=True)
    assert proposals(session) == []


def berlin_clock(moment) -> str:
    """'14:05 CET', as the page shows a moment in the conference's zone."""
    local = moment.astimezone(ZoneInfo("Europe/Berlin"))
    return f"{local:%H:%M} {local.tzname()}"


def test_a_proposal_is_stored_and_its_email_brings_a_link_that_opens_it(
    app, programme, session, mail_server
):
    answer = submit(app.test_client(), track=str(programme.tracks["Platforms"].id))

    assert answer.status_code == 302
    (proposal,) = proposals(session)
    assert proposal.title == "Feature stores at scale"
    assert proposal.track_id == programme.tracks["Platforms"].id
    assert proposal.co_speakers == [
        {"name": "Grace Hopper", "email": "grace@example.org", "bio": "Compilers."}
    ]
    assert proposal.status == ProposalStatus.SUBMITTED
    (message,) = mail_server.to(SPEAKER)
    assert message["Subject"] == "Your proposal for MLOps World Conference is in"
    text = plain_text(message)
    assert "Feature stores at scale" in text and "Hello Ada Lovelace" in text
    assert mail_server.to("grace@example.org") == []  # a stranger's form emails one address
    page = app.test_client().get(edit_link(message)).get_data(as_text=True)
    assert 'value="Feature stores at scale"' in page
    assert 'value="grace@example.org"' in page
    assert "Save my changes" in page and "Withdraw my proposal" in page


def test_bad_input_gets_its_field_errors_and_loses_nothing_typed(client, programme, session):
    answer = submit(
        client,
        email="not an address",
        abstract="",
        **{
            "co_speakers-1-name": "Alan Turing",
            "co_speakers-2-email": "edsger@example.org",
            "co_speakers-0-bio": "Compilers & <b>more</b>",
        },
    )

    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "is not an email address" in page
    assert "This field is required." in page
    assert "Give this co-speaker&#39;s email, or empty the row." in page
    assert "Give this co-speaker&#39;s name, or empty the row." in page
    assert 'value="Feature stores at scale"' in page
    assert 'value="Alan Turing"' in page
    assert "Compilers &amp; &lt;b&gt;more&lt;/b&gt;" in page
    assert proposals(session) == []


def test_another_co_speaker_row_keeps_everything_typed(client, programme):
    page = client.get("/conferences/mlopscon/cfp").get_data(as_text=True)
    assert page.count('class="stacked co-speaker"') == 3
    data = {**proposal_form(title="Draft title"), "csrf_token": csrf_token(page)}

    more = client.post("/conferences/mlopscon/cfp/more-co-speakers", data=data)

    page = more.get_data(as_text=True)
    assert more.status_code == 200
    assert page.count('class="stacked co-speaker"') == 4
    assert 'value="Draft title"' in page and 'value="Grace Hopper"' in page


def test_the_speaker_changes_then_withdraws_the_proposal_through_the_link(
    app, programme, session, mail_server
):
    submit(app.test_client())
    link = edit_link(mail_server.to(SPEAKER)[0])
    client = app.test_client()
    page = client.get(link).get_data(as_text=True)

    saved = client.post(
        link,
        data={
            **proposal_form(title="Feature stores, two years on"),
            "csrf_token": csrf_token(page),
        },
        follow_redirects=True,
    )
    withdrawn = client.post(
        f"{link}/withdraw", data={"csrf_token": csrf_token(page)}, follow_redirects=True
    )

    assert "Your changes are saved." in saved.get_data(as_text=True)
    assert "Your proposal is withdrawn." in withdrawn.get_data(as_text=True)
    (proposal,) = proposals(session)
    assert proposal.title == "Feature stores, two years on"
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert "Save my changes" not in withdrawn.get_data(as_text=True)


def test_after_the_call_closes_the_link_shows_the_proposal_and_refuses_changes(
    app, programme, session, mail_server
):
    submit(app.test_client())
    link = edit_link(mail_server.to(SPEAKER)[0])
    client = app.test_client()
    closes_at = programme.conference.cfp_closes_at
    with time_machine.travel(closes_at - timedelta(minutes=10)):
        token = csrf_token(client.get(link).get_data(as_text=True))

    with time_machine.travel(closes_at + timedelta(minutes=10)):
        page = client.get(link).get_data(as_text=True)
        refused = client.post(link, data={**proposal_form(title="Late"), "csrf_token": token})
        withdraw = client.post(
            f"{link}/withdraw", data={"csrf_token": token}, follow_redirects=True
        )

    assert "Feature stores at scale" in page and "<em>served</em>" in page
    assert "the call for proposals has closed" in page
    assert "Save my changes" not in page
    assert refused.status_code == 400
    assert "can no longer be changed" in refused.get_data(as_text=True)
    assert "can no longer be withdrawn" in withdraw.get_data(as_text=True)
    (proposal,) = proposals(session)
    assert (proposal.title, proposal.status) == ("Feature stores at scale", "submitted")


def test_a_forged_link_or_one_for_another_conference_opens_nothing(
    app, programme, make_conference, session, mail_server
):
    other = make_conference(acronym="llmcon", title="LLM Day")
    open_call(session, other, opened=timedelta(days=1), closes=timedelta(days=3))
    submit(app.test_client())
    link = edit_link(mail_server.to(SPEAKER)[0])
    token = link.rsplit("/", 1)[-1]
    client = app.test_client()

    assert client.get(link).status_code == 200
    assert client.get(f"/conferences/llmcon/cfp/proposals/{token}").status_code == 404
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 404
    assert client.get("/conferences/mlopscon/cfp/proposals/[1,1]").status_code == 404


def test_a_draft_or_cancelled_event_takes_no_proposals(client, programme, session):
    event = programme.event
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        event.status = status
        session.add(event)
        session.commit()
        assert client.get("/conferences/mlopscon/cfp").status_code == 404
        assert submit_without_page(client).status_code in (400, 404)
    assert proposals(session) == []


def submit_without_page(client):
    return client.post("/conferences/mlopscon/cfp", data=proposal_form())


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PUBLIC_WRITES_PER_ADDRESS": 2}


def test_one_address_cannot_flood_the_call(client, programme, session, mail_server):
    answers = [submit(client, title=f"Talk {number}").status_code for number in range(3)]

    assert answers == [302, 302, 429]
    assert [proposal.title for proposal in proposals(session)] == ["Talk 0", "Talk 1"]


def test_a_bad_edit_keeps_what_was_typed_and_changes_nothing(app, programme, session, mail_server):
    submit(app.test_client())
    link = edit_link(mail_server.to(SPEAKER)[0])
    client = app.test_client()
    token = csrf_token(client.get(link).get_data(as_text=True))

    answer = client.post(
        link, data={**proposal_form(title="A better title", email="nobody"), "csrf_token": token}
    )

    assert answer.status_code == 400
    assert 'value="A better title"' in answer.get_data(as_text=True)
    assert "is not an email address" in answer.get_data(as_text=True)
    assert proposals(session)[0].title == "Feature stores at scale"
