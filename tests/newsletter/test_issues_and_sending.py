"""The weekly issue: built once, read well in every mail client, sent once to each person."""

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from sqlmodel import select

from community.models import Delivery, NewsletterIssue, Subscriber
from community.models.newsletter import DeliveryStatus, IssueStatus, SubscriberStatus
from community.models.types import utcnow
from community.outbox.retries import MAX_ATTEMPTS
from tests.helpers import add_organiser, log_in
from tests.mail_server import plain_text
from tests.newsletter.conftest import PUBLIC_URL, issue_week

FRESH_POST = "Detecting Drift Before Your Users Do"


@pytest.fixture
def week(app, runner, add_news):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    add_news(runner, [FRESH_POST], utcnow())
    return issue_week(app).isoformat()


def _cli(runner, *args: str) -> dict:
    result = runner.invoke(args=["newsletter", *args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _built(runner, week: str) -> int:
    return _cli(runner, "build", "--week", week)["issue"]


def test_building_twice_makes_one_issue_per_week(runner, week, session):
    first = _cli(runner, "build", "--week", week)
    second = _cli(runner, "build", "--week", week)

    assert first["built"] and not second["built"]
    assert first["issue"] == second["issue"]
    assert len(session.exec(select(NewsletterIssue)).all()) == 1


# Pinned dates: what "Coming up" holds depends on where the demo events fall around the send
# moment, Monday 29 March 2027 at 09:00 in Berlin (07:00 UTC), the first Monday after Europe's
# clocks go forward.
# The demo loaded on Tuesday the 23rd has a meetup on Friday the 26th, a workshop on
# Thursday 1 April at 17:30 UTC, an AMA on the 8th and a podcast recording on the 22nd.
DEMO_LOADED = datetime(2027, 3, 23, 10, 0, tzinfo=UTC)
ISSUE_WEEK = "2027-03-29"


@pytest.fixture
def berlin(make_app):
    return make_app(COMMUNITY_TIMEZONE="Europe/Berlin").test_cli_runner()


@pytest.fixture
def demo_loaded_on_a_tuesday(berlin, add_news):
    """The demo's posts are from 2026; a post and an episode published that Tuesday."""
    with time_machine.travel(DEMO_LOADED, tick=True):
        assert berlin.invoke(args=["demo", "load"]).exit_code == 0
        add_news(berlin, [FRESH_POST], DEMO_LOADED)
        add_news(berlin, ["Drift, Live"], DEMO_LOADED, kind="episode")


def _digest_built_at(runner, moment: datetime, week: str = ISSUE_WEEK) -> str:
    with time_machine.travel(moment, tick=True):
        return _cli(runner, "preview", str(_built(runner, week)))["text"]


def test_a_digest_built_early_has_the_weeks_content_and_the_events_after_it_is_sent(
    berlin, demo_loaded_on_a_tuesday
):
    text = _digest_built_at(berlin, DEMO_LOADED + timedelta(hours=1))

    for heading in ("New posts", "New podcast episodes", "New answers in the FAQ", "Coming up"):
        assert heading in text
    assert FRESH_POST in text and "Drift, Live" in text
    assert "Hands-On Workshop: Building Your First Feature Store Pipeline" in text
    assert "AMA: Running LLM Applications in Production" in text
    assert "Berlin MLOps Meetup" not in text  # over by the time the issue is sent
    assert "Live Podcast Recording" not in text  # more than three weeks after it is sent


def test_a_digest_built_late_has_the_same_content_but_no_event_that_has_started(
    berlin, demo_loaded_on_a_tuesday
):
    text = _digest_built_at(berlin, datetime(2027, 4, 1, 18, 0, tzinfo=UTC))

    assert FRESH_POST in text
    assert "AMA: Running LLM Applications in Production" in text
    assert "Hands-On Workshop" not in text  # started half an hour ago
    assert "Berlin MLOps Meetup" not in text


def test_a_digest_sent_on_thursdays_covers_the_week_up_to_that_thursday(
    make_app, demo_loaded_on_a_tuesday
):
    runner = make_app(
        COMMUNITY_TIMEZONE="Europe/Berlin", NEWSLETTER_SEND_DAY="thu"
    ).test_cli_runner()

    # Sent on Thursday 25 March: new since the 18th, events from the 25th.
    text = _digest_built_at(runner, DEMO_LOADED + timedelta(hours=1), week="2027-03-22")

    assert FRESH_POST in text
    assert "Berlin MLOps Meetup: Monitoring Models After Launch" in text
    assert "AMA: Running LLM Applications in Production" in text


def test_content_added_after_the_send_time_waits_for_the_next_issue(berlin, add_news):
    after_sending = datetime(2027, 3, 29, 7, 30, tzinfo=UTC)  # 09:30 in Berlin
    with time_machine.travel(after_sending, tick=True):
        add_news(berlin, [FRESH_POST], after_sending)
        add_news(berlin, ["Written Before, Polled After"], after_sending - timedelta(hours=1))
        this_week = _cli(berlin, "preview", str(_built(berlin, ISSUE_WEEK)))["text"]
        next_week = _cli(berlin, "preview", str(_built(berlin, "2027-04-05")))["text"]

    assert FRESH_POST not in this_week and "Written Before, Polled After" not in this_week
    assert FRESH_POST in next_week and "Written Before, Polled After" in next_week


def test_an_imported_archive_is_not_news(berlin, add_news):
    """Posts loaded this week but published months ago stay out of "New posts"; what has
    no date counts from when it was first seen."""
    with time_machine.travel(DEMO_LOADED, tick=True):
        assert berlin.invoke(args=["demo", "load"]).exit_code == 0  # posts from autumn 2026
        add_news(berlin, ["From Last September"], datetime(2026, 9, 15, 9, 0, tzinfo=UTC))
        add_news(berlin, ["Undated But New"], None)
    text = _digest_built_at(berlin, DEMO_LOADED + timedelta(hours=1))

    assert "Detecting Model Drift in Production" not in text  # the demo's, from 2026
    assert "From Last September" not in text
    assert "New posts" in text and "Undated But New" in text


def test_each_subscriber_gets_one_multipart_email_with_working_unsubscribe_headers(
    runner, week, subscribers, mail_server, client, session
):
    subscribers("ada@example.org", "grace@example.org")
    issue_id = _built(runner, week)

    outcome = _cli(runner, "send", str(issue_id))

    assert (outcome["sent"], outcome["pending"]) == (2, 0)
    (message,) = mail_server.to("ada@example.org")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Date"] and re.fullmatch(
        r"<newsletter-\d+-\d+@news\.test>", message["Message-ID"]
    )
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "<style" not in html and 'style="' in html  # CSS inlined for mail clients
    assert 'name="viewport"' in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(href.startswith(("https://", "http://")) for href in hrefs)
    assert "%%" not in html and "%%" not in plain_text(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
    assert https_link.startswith(f"{PUBLIC_URL}/newsletter/unsubscribe/")
    assert mailto.startswith("mailto:hello@news.test?subject=unsubscribe")

    # What Gmail or Apple Mail does when the reader presses "Unsubscribe": a bare POST.
    response = client.post(urlsplit(https_link).path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    ada = session.exec(select(Subscriber).where(Subscriber.email == "ada@example.org")).one()
    assert ada.status == SubscriberStatus.UNSUBSCRIBED
    assert session.get(NewsletterIssue, issue_id).status == IssueStatus.SENT


def test_a_refused_address_is_recorded_and_left_out_of_later_issues(
    runner, week, subscribers, mail_server, session
):
    subscribers("ada@example.org", "gone@example.org")
    mail_server.refuse["gone@example.org"] = "550 5.1.1 No such user"

    outcome = _cli(runner, "send", str(_built(runner, week)))

    assert (outcome["sent"], outcome["failed"]) == (1, 1)
    gone = session.exec(select(Subscriber).where(Subscriber.email == "gone@example.org")).one()
    assert gone.status == SubscriberStatus.BOUNCED
    failed = session.exec(select(Delivery).where(Delivery.subscriber_id == gone.id)).one()
    assert failed.status == DeliveryStatus.FAILED and "550" in failed.last_error

    later = _cli(runner, "build", "--week", "2031-01-06")["issue"]
    assert _cli(runner, "send", str(later))["sent"] == 1
    assert len(mail_server.to("gone@example.org")) == 0


def test_an_smtp_outage_pauses_sending_and_a_rerun_resumes_without_copies(
    make_app, week, subscribers, mail_server, runner, session
):
    subscribers("ada@example.org", "grace@example.org", "linus@example.org")
    issue_id = _built(runner, week)
    down = make_app(SMTP_URL="smtp://127.0.0.1:9").test_cli_runner()  # nothing listens there

    paused = _cli(down, "send", str(issue_id))
    resumed = _cli(runner, "send", str(issue_id))

    assert paused["sent"] == 0 and paused["pending"] == 3 and "mail server" in paused["stopped"]
    assert (resumed["sent"], resumed["pending"]) == (3, 0)
    for email in ("ada@example.org", "grace@example.org", "linus@example.org"):
        assert len(mail_server.to(email)) == 1


def test_someone_who_unsubscribes_while_an_issue_is_sending_is_skipped(
    runner, week, subscribers, mail_server, session
):
    from community.newsletter import issues
    from community.newsletter.subscriptions import unsubscribe

    ada, grace = subscribers("ada@example.org", "grace@example.org")
    issue = session.get(NewsletterIssue, _built(runner, week))
    issues.start_sending(session, issue)
    unsubscribe(session.get(Subscriber, grace.id))
    session.commit()

    outcome = _cli(runner, "send", str(issue.id))

    assert (outcome["sent"], outcome["skipped"]) == (1, 1)
    assert mail_server.to("grace@example.org") == []


def test_the_archive_and_its_feed_list_sent_issues_only(runner, week, subscribers, client):
    subscribers("ada@example.org")
    sent = _built(runner, week)
    _cli(runner, "send", str(sent))
    draft = _cli(runner, "build", "--week", "2031-01-06")["issue"]

    archive = client.get("/newsletter/archive").get_data(as_text=True)
    feed = client.get("/newsletter/feed.xml")

    assert (
        f"/newsletter/archive/{sent}" in archive and f"/newsletter/archive/{draft}" not in archive
    )
    assert client.get(f"/newsletter/archive/{sent}").status_code == 200
    assert client.get(f"/newsletter/archive/{draft}").status_code == 404
    assert feed.mimetype == "application/rss+xml"
    assert f"{PUBLIC_URL}/newsletter/archive/{sent}" in feed.get_data(as_text=True)


def test_a_greylisted_address_waits_while_the_others_are_sent(
    runner, week, subscribers, mail_server, session
):
    subscribers("ada@example.org", "slow@example.org", "grace@example.org")
    mail_server.refuse["slow@example.org"] = "451 4.7.1 Greylisted, try again later"
    issue_id = _built(runner, week)

    first = _cli(runner, "send", str(issue_id))
    del mail_server.refuse["slow@example.org"]
    second = _send_when_due(runner, session, issue_id, "slow@example.org")

    assert (first["sent"], first["deferred"], first["pending"]) == (2, 1, 1)
    assert first["stopped"] is None
    assert (second["sent"], second["pending"]) == (1, 0)
    assert [len(mail_server.to(e)) for e in ("ada@example.org", "slow@example.org")] == [1, 1]
    assert session.get(NewsletterIssue, issue_id).status == IssueStatus.SENT


def _delivery_to(session, email: str) -> Delivery:
    session.expire_all()
    return session.exec(select(Delivery).join(Subscriber).where(Subscriber.email == email)).one()


def _send_when_due(runner, session, issue_id: int, email: str) -> dict:
    """Sends once the wait after `email`'s last deferral is over, as the scheduler would."""
    due = _delivery_to(session, email).next_attempt_at + timedelta(seconds=1)
    with time_machine.travel(due, tick=True):
        return _cli(runner, "send", str(issue_id))


def _outbox_page(client, session) -> str:
    add_organiser(session)
    log_in(client)
    return client.get("/admin/outbox/").get_data(as_text=True)


def test_a_deferred_address_waits_longer_each_time_and_arrives_once_the_server_takes_it(
    runner, week, subscribers, mail_server, session, client
):
    subscribers("ada@example.org", "slow@example.org")
    mail_server.refuse["slow@example.org"] = "451 4.7.1 Greylisted, try again later"
    issue_id = _built(runner, week)

    _cli(runner, "send", str(issue_id))
    first_wait = _delivery_to(session, "slow@example.org").next_attempt_at - utcnow()
    too_soon = _cli(runner, "send", str(issue_id))  # the next scheduler run, a minute later
    assert (too_soon["sent"], too_soon["deferred"], too_soon["pending"]) == (0, 0, 1)
    assert _delivery_to(session, "slow@example.org").attempts == 1
    page = _outbox_page(client, session)
    assert "slow@example.org" in page and "451 4.7.1 Greylisted" in page

    again = _send_when_due(runner, session, issue_id, "slow@example.org")
    deferred = _delivery_to(session, "slow@example.org")
    second_wait = deferred.next_attempt_at - utcnow()
    assert again["deferred"] == 1 and deferred.attempts == 2
    assert timedelta(minutes=1) < first_wait < second_wait

    del mail_server.refuse["slow@example.org"]  # the server takes it now
    last = _send_when_due(runner, session, issue_id, "slow@example.org")

    assert (last["sent"], last["pending"]) == (1, 0)
    assert [len(mail_server.to(e)) for e in ("ada@example.org", "slow@example.org")] == [1, 1]
    assert session.get(NewsletterIssue, issue_id).status == IssueStatus.SENT
    assert "slow@example.org" not in client.get("/admin/outbox/").get_data(as_text=True)


def test_an_address_deferred_at_every_attempt_fails_after_the_last_and_shows_on_the_outbox_page(
    runner, week, subscribers, mail_server, session, client
):
    subscribers("ada@example.org", "slow@example.org")
    mail_server.refuse["slow@example.org"] = "452 4.2.2 Mailbox full"
    issue_id = _built(runner, week)

    _cli(runner, "send", str(issue_id))
    for _ in range(MAX_ATTEMPTS - 1):
        _send_when_due(runner, session, issue_id, "slow@example.org")

    given_up = _delivery_to(session, "slow@example.org")
    assert (given_up.status, given_up.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert session.get(NewsletterIssue, issue_id).status == IssueStatus.SENT
    assert mail_server.to("slow@example.org") == []
    page = _outbox_page(client, session)
    row = page[page.index('id="outbox-newsletter"') :]
    assert "slow@example.org" in row and "failed" in row and "452 4.2.2 Mailbox full" in row


def test_a_second_sender_is_refused_while_one_is_at_work(app, runner, week, subscribers, session):
    import os
    import socket

    from community import leases
    from community.db import get_engine

    subscribers("ada@example.org")
    issue_id = _built(runner, week)
    alive = f"{socket.gethostname()}:{os.getpid()}:1"  # this very process: alive
    leases.acquire_or_renew(
        get_engine(app), name=f"newsletter-issue-{issue_id}", holder=alive, ttl_seconds=60
    )

    result = runner.invoke(args=["newsletter", "send", str(issue_id)])

    assert result.exit_code != 0
    assert "being sent by another process" in result.output
