"""The dashboard says what needs an organiser now, each card a link to where it is done."""

import re
from datetime import date, timedelta
from html import unescape

from sqlmodel import select

from community.models import (
    ContentItem,
    Delivery,
    ItemStatus,
    JobRun,
    NewsletterIssue,
    OutboxStatus,
    OutgoingEmail,
    Registration,
    RegistrationStatus,
    Source,
    SourceKind,
    Subscriber,
    UnansweredQuestion,
)
from community.models.newsletter import DeliveryStatus
from community.models.types import utcnow
from tests.helpers import add_organiser, log_in, record_heartbeat


def _cards(html: str) -> dict[str, tuple[str, str]]:
    """Each card's heading: (the page it links to, its text)."""
    found = re.findall(
        r'<li><a href="([^"]+)">\s*<strong>([^<]+)</strong>(.*?)</a></li>', html, re.S
    )
    return {
        title: (unescape(href), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for href, title, text in found
    }


def _arrange_work(session, make_event):
    feeds = Source(kind=SourceKind.FEED, name="Broken feed", url="https://a.example/rss")
    session.add_all([feeds, Source(kind=SourceKind.FEED, name="Fine", url="https://b.example/rss")])
    session.commit()
    feeds.error_count, feeds.last_error = 3, "HTTP 500"
    curated = Source(kind=SourceKind.CURATION, name="Curated")
    session.add(curated)
    session.commit()
    for number in range(3):
        session.add(
            ContentItem(
                source_id=curated.id,
                kind="post",
                status=ItemStatus.PENDING,
                external_id=f"p{number}",
                title=f"Proposed post {number}",
            )
        )
    session.add(UnansweredQuestion(question="How do I shard a feature store?", asked_via="web"))
    issue = NewsletterIssue(week_of=date(2026, 11, 30), subject="This week")
    subscriber = Subscriber(email="reader@example.org", status="confirmed")
    session.add_all([issue, subscriber])
    session.add(OutgoingEmail(to_address="gone@example.org", subject="Hi", text="…"))
    session.commit()
    session.add(Delivery(issue_id=issue.id, subscriber_id=subscriber.id))
    session.commit()
    for row in session.exec(select(OutgoingEmail)):
        row.status = OutboxStatus.FAILED
    for row in session.exec(select(Delivery)):
        row.status = DeliveryStatus.FAILED
    session.add(JobRun(job_id="feeds.poll_due", holder="test", status="failed", error="boom"))
    session.commit()
    soon = make_event(title="Drift Meetup", capacity=2)
    make_event(title="Far Away Conference", starts_at=utcnow() + timedelta(days=30))
    for name, status in (
        ("Ada", RegistrationStatus.REGISTERED),
        ("Bo", RegistrationStatus.REGISTERED),
        ("Cy", RegistrationStatus.WAITLISTED),
        ("Di", RegistrationStatus.CANCELLED),
    ):
        session.add(
            Registration(event_id=soon.id, name=name, email=f"{name}@example.org", status=status)
        )
    session.commit()
    return issue, soon


def test_each_card_counts_what_waits_and_links_to_where_it_is_done(
    app, client, session, make_event
):
    issue, soon = _arrange_work(session, make_event)
    record_heartbeat(app)
    add_organiser(session)
    log_in(client)

    html = client.get("/admin/").get_data(as_text=True)

    cards = _cards(html)
    assert cards["Curation queue"] == ("/admin/curation", "3 posts waiting for review")
    assert cards["Unanswered questions"][0] == "/admin/questions"
    assert "1 question without a good answer" in cards["Unanswered questions"][1]
    assert cards["Newsletter"] == (f"/admin/newsletter/{issue.id}", "1 draft to review and send")
    assert cards["Outbox"][0] == "/admin/outbox/"
    assert "2 messages that failed to send" in cards["Outbox"][1]
    assert cards["Feeds"][0] == "/admin/feeds" and "1 feed failing" in cards["Feeds"][1]
    assert cards["Scheduled jobs"][0] == "/admin/jobs"
    assert "1 failed run in the last 7 days" in cards["Scheduled jobs"][1]
    for href, _ in cards.values():
        assert client.get(href).status_code == 200, href
    events = html[html.index('id="upcoming-events"') :]
    assert f'href="/admin/events/{soon.id}">Drift Meetup</a>' in events
    row = " ".join(
        re.sub(r"<[^>]+>", " ", events.split("Drift Meetup", 1)[1].split("</tr>")[0]).split()
    )
    assert "2 people" in row and "2 places full" in row and "1 person" in row
    assert "Far Away Conference" not in html
    assert "scheduler.heartbeat" not in html  # no log of heartbeats


def test_an_empty_community_reads_right_and_says_so(client, session):
    add_organiser(session)
    log_in(client)

    html = client.get("/admin/").get_data(as_text=True)

    cards = _cards(html)
    assert cards["Curation queue"][1] == "0 posts waiting for review"
    assert cards["Newsletter"] == ("/admin/newsletter/", "0 drafts to review and send")
    assert "No event starts in the next two weeks." in html
    assert "scheduler not seen yet" in html


def test_the_dashboard_is_for_organisers_only(client):
    assert client.get("/admin/").status_code in (302, 401)
