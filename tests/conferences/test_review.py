"""Reviewing proposals: each reviewer scores blind until they have scored, only the
conference's own reviewers and the organisers get in, and an organiser's accept or reject is
made once, with its email, and an accepted proposal becomes one session."""

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from community.conferences.proposals import (
    CoSpeaker,
    ProposalInput,
    submit_proposal,
    withdraw_proposal,
)
from community.conferences.reviews import save_review
from community.db import session_scope
from community.models import (
    ConferenceSession,
    Organiser,
    Proposal,
    ProposalReview,
    ProposalStatus,
    SessionSpeaker,
    Speaker,
    TeamRole,
)
from community.models.types import utcnow
from tests.conferences.review_accounts import TEAM_PASSWORD, add_team_account
from tests.helpers import csrf_token, log_in
from tests.mail_server import plain_text


@pytest.fixture
def call(make_conference, session):
    """A conference with an open call, one proposal in it, and Grace already a speaker."""
    programme = make_conference()
    conference = programme.conference
    conference.cfp_opens_at = utcnow() - timedelta(days=1)
    conference.cfp_closes_at = utcnow() + timedelta(days=3)
    programme.speakers["Grace Hopper"].email = "grace@example.org"
    session.add_all([conference, programme.speakers["Grace Hopper"]])
    session.commit()
    proposal = propose(session, programme, "Feature stores at scale")
    return programme, proposal


def propose(session, programme, title: str) -> Proposal:
    proposal = submit_proposal(
        session,
        programme.conference,
        programme.event,
        ProposalInput(
            title=title,
            abstract="How we *served* features to 200 models.",
            format="workshop",
            track_id=programme.tracks["Platforms"].id,
            speaker_name="Ada Byron",
            speaker_email="ada@example.org",
            speaker_bio="Builds ML platforms.",
            co_speakers=(
                CoSpeaker("Grace Hopper", "grace@example.org"),
                CoSpeaker("Linus Torvalds", "linus@example.org", "Kernels."),
            ),
        ),
    )
    session.commit()
    return proposal


def reviewer(app, session, conference, email: str, **options):
    add_team_account(session, conference, email, **options)
    client = app.test_client()
    log_in(client, email, TEAM_PASSWORD)
    return client


def score(client, proposal: Proposal, value: int, comment: str = ""):
    path = f"/review/mlopscon/proposals/{proposal.id}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(
        path,
        data={"score": str(value), "comment": comment, "csrf_token": token},
        follow_redirects=True,
    )


def queue_row(client, proposal: Proposal) -> dict[str, str]:
    page = client.get("/review/mlopscon").get_data(as_text=True)
    row = re.search(rf'<tr id="proposal-{proposal.id}">(.*?)</tr>', page, re.S)
    assert row, "the proposal is not in the queue"
    cells = re.findall(r'<td data-label="[^"]+" class="([^"]+)">(.*?)</td>', row.group(1), re.S)
    return {name: value.strip() for name, value in cells}


def decide(client, proposal: Proposal, decision: str):
    path = f"/review/mlopscon/proposals/{proposal.id}"
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(f"{path}/{decision}", data={"csrf_token": token}, follow_redirects=True)


def test_a_reviewer_sees_the_other_scores_only_after_scoring(app, session, call):
    programme, proposal = call
    first = reviewer(app, session, programme.conference, "first@example.org", name="Rita")
    second = reviewer(app, session, programme.conference, "second@example.org")

    score(first, proposal, 4, "Strong war stories.")
    before = queue_row(second, proposal)
    blind_page = second.get(f"/review/mlopscon/proposals/{proposal.id}").get_data(as_text=True)
    scored_page = score(second, proposal, 2, "Heard it before.").get_data(as_text=True)

    assert before == {
        "review-count": "1",
        "my-score": "not yet",
        "other-scores": "hidden until you score",
        "average": "hidden",
    }
    assert "Hidden until you have given your own score." in blind_page
    assert "Strong war stories." not in blind_page
    assert "Your review is saved." in scored_page
    assert "Strong war stories." in scored_page and "Rita" in scored_page
    assert queue_row(second, proposal) == {
        "review-count": "2",
        "my-score": "2",
        "other-scores": "4",
        "average": "3.0",
    }
    assert queue_row(first, proposal)["other-scores"] == "2"


def test_changing_a_score_keeps_one_review_per_reviewer(app, session, call):
    programme, proposal = call
    client = reviewer(app, session, programme.conference, "first@example.org")

    score(client, proposal, 1)
    page = score(client, proposal, 5, "Changed my mind.").get_data(as_text=True)

    assert queue_row(client, proposal)["my-score"] == "5"
    assert queue_row(client, proposal)["review-count"] == "1"
    assert re.search(r'<input checked id="score-4" name="score" [^>]*value="5">', page)


def test_the_same_review_sent_twice_at_once_saves_one_review(app, session, call):
    """Two tabs, or a double click: the second save starts while the first is uncommitted."""
    programme, proposal = call
    account = add_team_account(session, programme.conference, "first@example.org")
    first_saved, outcomes = threading.Event(), {}

    def send(value: int, comment: str, *, first: bool) -> None:
        try:
            with app.app_context(), session_scope() as unit:
                if not first:
                    first_saved.wait(10)
                save_review(
                    unit,
                    unit.get(Proposal, proposal.id),
                    unit.get(Organiser, account.id),
                    score=value,
                    comment=comment,
                )
                if first:
                    first_saved.set()
                    time.sleep(0.5)  # still uncommitted while the second save runs
            outcomes[value] = "saved"
        except Exception as error:  # noqa: BLE001 - the assertion shows what went wrong
            outcomes[value] = repr(error)

    sends = [
        threading.Thread(target=send, args=(2, "Weak."), kwargs={"first": True}),
        threading.Thread(
            target=send, args=(4, "Good, on second thought."), kwargs={"first": False}
        ),
    ]
    for thread in sends:
        thread.start()
    for thread in sends:
        thread.join(timeout=60)

    assert outcomes == {2: "saved", 4: "saved"}
    session.expire_all()
    reviews = session.exec(select(ProposalReview)).all()
    assert [(review.score, review.comment) for review in reviews] == [
        (4, "Good, on second thought.")  # the later save wins, as it would one after the other
    ]


def test_a_score_is_required_and_a_comment_kept_when_it_is_missing(app, session, call):
    programme, proposal = call
    client = reviewer(app, session, programme.conference, "first@example.org")
    path = f"/review/mlopscon/proposals/{proposal.id}"
    token = csrf_token(client.get(path).get_data(as_text=True))

    answer = client.post(path, data={"comment": "Needs a demo.", "csrf_token": token})

    assert answer.status_code == 400
    assert "Pick a score from 1 to 5." in answer.get_data(as_text=True)
    assert "Needs a demo." in answer.get_data(as_text=True)


def test_only_this_conference_s_reviewers_and_the_organisers_get_in(
    app, session, call, make_conference, organiser
):
    programme, proposal = call
    other = make_conference(acronym="llmcon", title="LLM Day")
    elsewhere = reviewer(app, session, other.conference, "elsewhere@example.org")
    door = reviewer(app, session, programme.conference, "door@example.org", role=TeamRole.HELPER)
    page = f"/review/mlopscon/proposals/{proposal.id}"

    assert elsewhere.get("/review/llmcon").status_code == 200
    assert elsewhere.get("/review/mlopscon").status_code == 403
    assert elsewhere.get(page).status_code == 403
    assert door.get("/review/mlopscon").status_code == 403
    assert app.test_client().get("/review/mlopscon").status_code == 302  # to the login page
    assert organiser.get("/review/mlopscon").status_code == 200
    assert organiser.get(f"/review/llmcon/proposals/{proposal.id}").status_code == 404


def test_a_reviewer_scores_but_cannot_decide(app, session, call):
    programme, proposal = call
    client = reviewer(app, session, programme.conference, "first@example.org")
    page = client.get(f"/review/mlopscon/proposals/{proposal.id}").get_data(as_text=True)

    answer = client.post(
        f"/review/mlopscon/proposals/{proposal.id}/accept",
        data={"csrf_token": csrf_token(page)},
    )

    assert "Accept</button>" not in page
    assert answer.status_code == 403
    session.refresh(proposal)
    assert proposal.status == ProposalStatus.SUBMITTED


def test_accepting_makes_one_unplaced_session_with_its_speakers_and_one_email_each(
    session, call, organiser, mail_server
):
    programme, proposal = call
    version = programme.conference.schedule_version

    accepted = decide(organiser, proposal, "accept").get_data(as_text=True)
    again = decide(organiser, proposal, "accept").get_data(as_text=True)
    rejected = decide(organiser, proposal, "reject").get_data(as_text=True)

    assert "is accepted; the speakers are being emailed." in accepted
    assert "was accepted already; nothing was sent again." in again
    assert "already accepted by organiser@example.org" in rejected
    session.expire_all()
    (made,) = session.exec(
        select(ConferenceSession).where(ConferenceSession.proposal_id == proposal.id)
    ).all()
    assert (made.title, made.kind, made.track_id) == (
        "Feature stores at scale",
        "workshop",
        programme.tracks["Platforms"].id,
    )
    assert made.abstract == "How we *served* features to 200 models."
    assert (made.stage_id, made.starts_at) == (None, None)
    speakers = session.exec(
        select(Speaker.name, Speaker.id)
        .join(SessionSpeaker, SessionSpeaker.speaker_id == Speaker.id)
        .where(SessionSpeaker.session_id == made.id)
        .order_by(SessionSpeaker.position)
    ).all()
    assert [name for name, _ in speakers] == ["Ada Byron", "Grace Hopper", "Linus Torvalds"]
    assert dict(speakers)["Grace Hopper"] == programme.speakers["Grace Hopper"].id  # reused
    session.refresh(programme.conference)
    assert programme.conference.schedule_version > version
    assert session.get(Proposal, proposal.id).status == ProposalStatus.ACCEPTED
    for address in ("ada@example.org", "grace@example.org", "linus@example.org"):
        (message,) = mail_server.to(address)
        assert message["Subject"] == "Accepted: “Feature stores at scale” at MLOps World Conference"
        assert "is accepted for MLOps World Conference" in plain_text(message)


def test_rejecting_emails_the_speakers_and_makes_no_session(session, call, organiser, mail_server):
    programme, proposal = call

    page = decide(organiser, proposal, "reject").get_data(as_text=True)
    decide(organiser, proposal, "reject")

    assert "is rejected; the speakers are being emailed." in page
    session.expire_all()
    assert session.get(Proposal, proposal.id).status == ProposalStatus.REJECTED
    assert (
        session.exec(
            select(ConferenceSession).where(ConferenceSession.proposal_id == proposal.id)
        ).all()
        == []
    )
    (message,) = mail_server.to("ada@example.org")
    assert message["Subject"].startswith("About your proposal: “Feature stores at scale”")
    assert "we could not include yours" in " ".join(plain_text(message).split())
    assert len(mail_server.to("linus@example.org")) == 1


def test_a_withdrawn_proposal_leaves_the_queue_and_cannot_be_decided(
    session, call, organiser, mail_server
):
    programme, proposal = call
    kept = propose(session, programme, "Evaluating agents")
    withdraw_proposal(session, programme.conference, programme.event, proposal)
    session.commit()

    queue = organiser.get("/review/mlopscon").get_data(as_text=True)
    refused = decide(organiser, proposal, "accept").get_data(as_text=True)

    assert "Evaluating agents" in queue and "Feature stores at scale" not in queue
    assert f'id="proposal-{kept.id}"' in queue
    assert "The speaker withdrew this proposal" in refused
    assert mail_server.to("ada@example.org") == []
