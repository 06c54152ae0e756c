"""Organisers see the draft as readers will, edit its intro, send a test to themselves,
confirm the send with the number it will reach, then follow its progress."""

import json
import re

import feedparser
import httpx
import pytest
from sqlmodel import select

from community.models import Delivery, NewsletterIssue
from community.models.newsletter import IssueStatus
from community.newsletter.jobs import build_weekly_issue, send_pending_issues
from tests.helpers import ORGANISER_EMAIL, add_organiser, csrf_token, log_in
from tests.mail_server import plain_text

INTRO = "Hello from the **organisers**. Read [the survey](https://example.org/survey)."
SITE_NAV = 'aria-label="Site"'


def _draft_with_intro(client, session) -> str:
    """Logs in, builds this week's draft, saves INTRO; returns the draft's address."""
    add_organiser(session)
    log_in(client)
    page = client.get("/admin/newsletter/").get_data(as_text=True)
    built = client.post("/admin/newsletter/build", data={"csrf_token": csrf_token(page)})
    issue_url = built.headers["Location"]
    page = client.get(issue_url).get_data(as_text=True)
    client.post(issue_url, data={"intro": INTRO, "csrf_token": csrf_token(page)})
    return issue_url


def _issue(session) -> NewsletterIssue:
    session.expire_all()
    return session.exec(select(NewsletterIssue)).one()


def _send(client, issue_url: str):
    page = client.get(f"{issue_url}/send").get_data(as_text=True)
    return client.post(f"{issue_url}/send", data={"csrf_token": csrf_token(page)})


def test_draft_intro_test_send_and_send(app, client, session, subscribers, mail_server):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)
    assert "1</span> confirmed" in client.get("/admin/newsletter/").get_data(as_text=True)

    page = client.get(issue_url).get_data(as_text=True)
    assert 'id="issue-text"' in page and "preview.html" in page
    issue = _issue(session)
    assert "<strong>organisers</strong>" in issue.html
    preview = client.get(f"{issue_url}/preview.html")
    assert "sandbox" in preview.headers["Content-Security-Policy"]

    client.post(f"{issue_url}/test", data={"csrf_token": csrf_token(page)})
    (test_copy,) = mail_server.to(ORGANISER_EMAIL)
    assert test_copy["Subject"].startswith("[Test] ")
    assert mail_server.to("ada@example.org") == []

    _send(client, issue_url)
    assert _issue(session).status == IssueStatus.SENDING
    with app.app_context():
        send_pending_issues()

    (delivered,) = mail_server.to("ada@example.org")
    assert "Hello from the organisers. Read the survey (https://example.org/survey)." in (
        plain_text(delivered)
    )
    assert _issue(session).status == IssueStatus.SENT


def test_previews_show_the_email_as_the_reader_sees_it(client, runner, session, subscribers):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)
    issue_id = _issue(session).id

    page = client.get(issue_url).get_data(as_text=True)
    html = client.get(f"{issue_url}/preview.html").get_data(as_text=True)
    cli = json.loads(runner.invoke(args=["newsletter", "preview", str(issue_id), "--json"]).stdout)
    cli_text = runner.invoke(args=["newsletter", "preview", str(issue_id)]).stdout

    text = page[page.index('id="issue-text"') :]
    for shown in (text, html, cli["text"], cli["html"], cli_text):
        assert "%%" not in shown and "PREFERENCES_URL" not in shown
    for plain in (text, cli["text"], cli_text):
        assert "Hello from the organisers. Read the survey (https://example.org/survey)." in plain
        assert "**" not in plain and "](" not in plain
    assert "<strong>organisers</strong>" in html and "<strong>organisers</strong>" in cli["html"]
    assert "/newsletter/example-link/unsubscribe" in html


def test_the_feed_of_issues_carries_the_rendered_email_and_parses_as_rss(
    app, client, session, subscribers
):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)
    _send(client, issue_url)
    with app.app_context():
        send_pending_issues()

    feed = feedparser.parse(client.get("/newsletter/feed.xml").get_data())

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version.startswith("rss")
    (entry,) = feed.entries
    content = entry.content[0]
    assert content.type == "text/html"
    assert "<strong>organisers</strong>" in content.value
    assert '<a href="https://example.org/survey"' in content.value
    assert "%%" not in content.value and "%%" not in entry.summary
    assert "**" not in entry.summary
    assert "You receive this because" not in content.value


@pytest.mark.parametrize("on_the_list", [False, True], ids=["not-subscribed", "subscribed"])
def test_the_links_of_a_test_send_lead_to_working_pages(
    app, live_server, session, subscribers, mail_server, on_the_list
):
    app.extensions["settings"].PUBLIC_URL = live_server
    if on_the_list:
        subscribers(ORGANISER_EMAIL)
    client = app.test_client()
    issue_url = _draft_with_intro(client, session)
    client.post(
        f"{issue_url}/test", data={"csrf_token": csrf_token(client.get(issue_url).get_data(True))}
    )

    (test_copy,) = mail_server.to(ORGANISER_EMAIL)
    text = plain_text(test_copy)
    html = test_copy.get_body(preferencelist=("html",)).get_content()
    manage = re.search(r"Manage your subscription: (\S+)", text).group(1)
    unsubscribe = re.search(r"Unsubscribe: (\S+)", text).group(1)
    assert re.search(r'href="([^"]+)"[^>]*>Unsubscribe<', html).group(1) == unsubscribe
    with httpx.Client(timeout=30) as reader:  # the organiser's mail app, over real HTTP
        manage_page, unsubscribe_page = reader.get(manage), reader.get(unsubscribe)

    assert manage.startswith(live_server) and unsubscribe.startswith(live_server)
    assert (manage_page.status_code, unsubscribe_page.status_code) == (200, 200)
    if on_the_list:
        assert f"You receive the weekly newsletter at <strong>{ORGANISER_EMAIL}" in (
            manage_page.text
        )
        assert f"Stop sending the weekly newsletter to <strong>{ORGANISER_EMAIL}" in (
            unsubscribe_page.text
        )
    else:
        assert "test copy" in manage_page.text and "test copy" in unsubscribe_page.text


def test_sending_asks_first_and_says_how_many_it_will_reach(app, client, session, subscribers):
    subscribers("ada@example.org", "grace@example.org", "linus@example.org")
    issue_url = _draft_with_intro(client, session)
    assert f'href="{issue_url.removeprefix("http://localhost")}/send"' in (
        client.get(issue_url).get_data(as_text=True)
    )

    page = client.get(f"{issue_url}/send").get_data(as_text=True)

    assert "Send to 3 subscribers" in page
    assert _issue(session).subject in page and "preview.html" in page
    assert _issue(session).status == IssueStatus.DRAFT  # looking sends nothing
    assert session.exec(select(Delivery)).all() == []

    sent = client.post(f"{issue_url}/send", data={"csrf_token": csrf_token(page)})
    progress_url = sent.headers["Location"]
    page = client.get(progress_url).get_data(as_text=True)
    assert "Sending to 3 subscribers." in page
    assert "0 of 3 subscribers sent." in page and "newsletter-progress.js" in page
    assert client.get(f"{progress_url}.json").get_json()["pending"] == 3

    with app.app_context():
        send_pending_issues()

    progress = client.get(f"{progress_url}.json").get_json()
    assert (progress["sent"], progress["total"], progress["status"]) == (3, 3, "sent")
    assert progress["summary"] == "3 of 3 subscribers sent."
    assert "3 of 3 subscribers sent." in client.get(progress_url).get_data(as_text=True)


def test_one_subscriber_reads_as_one(client, session, subscribers):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)

    page = client.get(f"{issue_url}/send").get_data(as_text=True)
    assert "Send to 1 subscriber<" in page and "1 confirmed subscriber<" in page
    sent = client.post(f"{issue_url}/send", data={"csrf_token": csrf_token(page)})
    page = client.get(sent.headers["Location"]).get_data(as_text=True)

    assert "Sending to 1 subscriber." in page and "0 of 1 subscriber sent." in page
    assert "1 subscribers" not in page


def test_a_send_without_its_form_token_sends_nothing(client, session, subscribers):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)

    client.post(f"{issue_url}/send")

    assert _issue(session).status == IssueStatus.DRAFT


def test_the_archived_issue_is_a_page_of_the_site(app, client, session, subscribers):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)
    _send(client, issue_url)
    with app.app_context():
        send_pending_issues()

    page = app.test_client().get(f"/newsletter/archive/{_issue(session).id}")
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert SITE_NAV in html and 'class="site-header"' in html
    assert 'id="subscribe-box"' in html and 'action="/newsletter"' in html
    assert "<strong>organisers</strong>" in html
    assert "You receive this because" not in html and ">Unsubscribe<" not in html
    assert "%%" not in html


def test_the_weekly_job_builds_one_issue_and_sends_it_when_configured(
    make_app, session, subscribers, mail_server
):
    subscribers("ada@example.org")
    app = make_app(NEWSLETTER_AUTO_SEND=True)

    with app.app_context():
        build_weekly_issue()
        build_weekly_issue()  # a second run, as after a restart: finds this week's issue
        send_pending_issues()

    assert len(session.exec(select(NewsletterIssue)).all()) == 1
    assert len(mail_server.to("ada@example.org")) == 1


def test_without_auto_send_the_issue_waits_for_an_organiser(make_app, session, subscribers):
    subscribers("ada@example.org")

    with make_app().app_context():
        build_weekly_issue()

    assert session.exec(select(NewsletterIssue)).one().status == IssueStatus.DRAFT


def test_newsletter_pages_need_an_organiser(client, session):
    for path in ("/admin/newsletter/", "/admin/newsletter/subscribers", "/admin/newsletter/1/send"):
        response = client.get(path)

        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_issue_sent_before_issue_pages_existed_shows_without_its_personal_footer(
    app, client, session, subscribers
):
    subscribers("ada@example.org")
    issue_url = _draft_with_intro(client, session)
    _send(client, issue_url)
    with app.app_context():
        send_pending_issues()
    issue = _issue(session)
    issue.web_html = ""  # as the migration leaves issues rendered before it
    session.commit()

    html = app.test_client().get(f"/newsletter/archive/{issue.id}").get_data(as_text=True)

    assert SITE_NAV in html and "<strong>organisers</strong>" in html
    assert "You receive this because" not in html and "%%" not in html
