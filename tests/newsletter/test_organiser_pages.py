"""Organisers see the draft, edit its intro, send a test to themselves, then send."""

from sqlmodel import select

from community.models import NewsletterIssue
from community.models.newsletter import IssueStatus
from community.newsletter.jobs import build_weekly_issue, send_pending_issues
from tests.helpers import ORGANISER_EMAIL, add_organiser, csrf_token, log_in
from tests.mail_server import plain_text


def test_draft_intro_test_send_and_send(app, client, session, subscribers, mail_server):
    subscribers("ada@example.org")
    add_organiser(session)
    log_in(client)
    page = client.get("/admin/newsletter/").get_data(as_text=True)
    assert "1</span> confirmed" in page

    built = client.post("/admin/newsletter/build", data={"csrf_token": csrf_token(page)})
    issue_url = built.headers["Location"]
    page = client.get(issue_url).get_data(as_text=True)
    assert 'id="issue-text"' in page and "preview.html" in page

    client.post(
        issue_url, data={"intro": "Hello from the **organisers**.", "csrf_token": csrf_token(page)}
    )
    issue = session.exec(select(NewsletterIssue)).one()
    session.refresh(issue)
    assert "Hello from the **organisers**." in issue.text
    assert "<strong>organisers</strong>" in issue.html
    preview = client.get(f"{issue_url}/preview.html")
    assert "sandbox" in preview.headers["Content-Security-Policy"]

    client.post(f"{issue_url}/test", data={"csrf_token": csrf_token(page)})
    (test_copy,) = mail_server.to(ORGANISER_EMAIL)
    assert test_copy["Subject"].startswith("[Test] ")
    assert mail_server.to("ada@example.org") == []

    client.post(f"{issue_url}/send", data={"csrf_token": csrf_token(page)})
    session.refresh(issue)
    assert issue.status == IssueStatus.SENDING
    with app.app_context():
        send_pending_issues()

    (delivered,) = mail_server.to("ada@example.org")
    assert "Hello from the **organisers**." in plain_text(delivered)
    session.refresh(issue)
    assert issue.status == IssueStatus.SENT


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
    response = client.get("/admin/newsletter/")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
