"""Every link in every email the service sends opens a page on the service.

The service is served over real HTTP on the port PUBLIC_URL names. The test makes it send
each kind of email, through the forms, the organiser pages and the scheduler's jobs as
people and the schedule do, collects them from a real SMTP server, extracts every link
from their text and HTML parts and their List-Unsubscribe header, and GETs each one.
"""

import json
import re
import socket
import threading
from datetime import timedelta
from email.message import EmailMessage
from html.parser import HTMLParser

import httpx
import pytest
from werkzeug.serving import make_server

from community.db import session_scope
from community.events import announcements, services
from community.events.registrations import Person, register
from community.models import Event, NewsletterIssue
from community.models.types import utcnow
from community.newsletter.digest import issue_week_for
from community.newsletter.issues import sending_schedule
from tests.helpers import add_organiser, csrf_token, deliver_outbox, log_in
from tests.mail_server import plain_text

# The kinds of email, by the start of their subject.
EVERY_KIND = {
    "newsletter confirmation": "Confirm your subscription",
    "newsletter preferences link": "Your MLOps Community newsletter preferences",
    "newsletter test send": "[Test] ",
    "newsletter issue": "MLOps Community",
    "RSVP: confirm your place": "Please confirm your place",
    "RSVP: confirm your waitlist spot": "Please confirm your waitlist spot",
    "RSVP: registered": "You are registered",
    "RSVP: waitlisted": "You are on the waitlist",
    "waitlist promotion": "You have a place",
    "event change": "Changed: ",
    "event cancellation": "Cancelled: ",
    "event reminder": "Starting ",
    "registration link, asked for again": "Your registration: ",
}
LINK_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def port():
    return _free_port()


@pytest.fixture
def app_config(app_config, mail_server, port):
    return {
        **app_config,
        "SMTP_URL": mail_server.url,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "NEWSLETTER_RATE_PER_SECOND": 0,
    }


@pytest.fixture
def live_server(app, port):
    """The app on the very address PUBLIC_URL names."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("href", "src") and value]


def links_of(message: EmailMessage) -> list[str]:
    """Every link of the message: its text, its HTML and its List-Unsubscribe header."""
    found = [link.rstrip(".,;:)]") for link in LINK_IN_TEXT.findall(plain_text(message))]
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        parser = _Hrefs()
        parser.feed(html.get_content())
        found += parser.links
    header = message.get("List-Unsubscribe", "")
    found += [link for link in re.findall(r"<([^>]+)>", header) if not link.startswith("mailto:")]
    return found


def _post_form(client, page_path: str, action: str, **fields):
    token = csrf_token(client.get(page_path).get_data(as_text=True))
    return client.post(action, data={**fields, "csrf_token": token}, follow_redirects=True)


def _manage_link(message: EmailMessage, base: str) -> str:
    match = re.search(rf"{re.escape(base)}(/events/registration/\S+)", plain_text(message))
    assert match, f"no registration link in {message['Subject']!r}"
    return match.group(1)


def _last_to(app, mail_server, address: str) -> EmailMessage:
    deliver_outbox(app)  # mail leaves after the commit, on the outbox worker's thread
    return mail_server.to(address)[-1]


def _this_weeks_news(runner, make_event, tmp_path) -> None:
    """A post published now and an event ahead, so the issue links to both."""
    post = {
        "id": "post-drift",
        "title": "Catching embedding drift early",
        "kind": "post",
        "body": "<p>Compare this week's vectors with last week's.</p>",
        "url": "https://blog.example.org/embedding-drift",
        "published": utcnow().isoformat(),
    }
    (tmp_path / "news.json").write_text(json.dumps([post]))
    result = runner.invoke(args=["kb", "import", str(tmp_path / "news.json")])
    assert result.exit_code == 0, result.output
    make_event(
        title="Feature Store Workshop",
        starts_at=utcnow().replace(microsecond=0) + timedelta(days=10),
    )


def _newsletter_emails(app, client, organiser, runner, session, mail_server, base):
    _post_form(client, "/newsletter", "/newsletter", email="bea@example.org")
    confirmation = _last_to(app, mail_server, "bea@example.org")
    link = re.search(rf"{re.escape(base)}(/newsletter/confirm/\S+)", plain_text(confirmation))
    _post_form(client, link.group(1), link.group(1))
    _post_form(client, "/newsletter", "/newsletter", email="bea@example.org")  # again
    with app.app_context():  # the week whose issue takes in what is published now
        week = issue_week_for(utcnow(), sending_schedule()).isoformat()
    built = runner.invoke(args=["newsletter", "build", "--week", week, "--json"])
    issue = session.get(NewsletterIssue, json.loads(built.stdout)["issue"])
    page = f"/admin/newsletter/{issue.id}"
    _post_form(organiser, page, f"{page}/test")
    _post_form(organiser, f"{page}/send", f"{page}/send")
    result = runner.invoke(args=["scheduler", "run-job", "newsletter.send_pending"])
    assert result.exit_code == 0, result.output


def _rsvp(client, event_id: int, name: str, email: str):
    return _post_form(
        client, f"/events/{event_id}", f"/events/{event_id}/rsvp", name=name, email=email
    )


def _confirm(client, message, base):
    link = _manage_link(message, base)
    return _post_form(client, link, f"{link}/confirm")


def _event_emails(app, client, organiser, runner, session, mail_server, make_event, base):
    event = make_event(title="Drift Meetup", capacity=1)
    for name in ("Ada", "Bo"):
        address = f"{name.lower()}@example.org"
        _rsvp(client, event.id, name, address)
        _confirm(client, _last_to(app, mail_server, address), base)
    ada = _manage_link(_last_to(app, mail_server, "ada@example.org"), base)
    _post_form(client, ada, f"{ada}/cancel")  # Bo moves up from the waitlist
    _move_a_day_later(app, event.id)
    _post_form(organiser, f"/admin/events/{event.id}/cancel", f"/admin/events/{event.id}/cancel")
    soon = make_event(
        title="Serving Office Hours",
        starts_at=utcnow().replace(microsecond=0) + timedelta(hours=20),
        rsvp_needs_confirmation=False,
    )
    _rsvp(client, soon.id, "Cy", "cy@example.org")
    register(session=session, event_id=soon.id, person=Person("Di", "di@example.org"))
    session.commit()  # registered by an organiser's import, say: no email yet
    _post_form(
        client, f"/events/{soon.id}", f"/events/{soon.id}/registration-link", email="di@example.org"
    )
    result = runner.invoke(args=["scheduler", "run-job", "events.reminders"])
    assert result.exit_code == 0, result.output


def _move_a_day_later(app, event_id: int) -> None:
    """What the organiser's edit form does once its notice is confirmed."""
    with app.app_context(), session_scope() as session:
        event = session.get(Event, event_id)
        data = services.input_from_event(event)
        data.starts_at += timedelta(days=1)
        data.ends_at += timedelta(days=1)
        changes = services.attendee_changes(event, data)
        services.update_event(session=session, event=event, data=data)
        announcements.tell_about_change(session, event, changes, None)


def test_every_link_in_every_email_opens_a_page(
    app, client, runner, session, make_event, mail_server, live_server, tmp_path
):
    add_organiser(session)
    organiser = app.test_client()
    log_in(organiser)
    _this_weeks_news(runner, make_event, tmp_path)
    _newsletter_emails(app, client, organiser, runner, session, mail_server, live_server)
    _event_emails(app, client, organiser, runner, session, mail_server, make_event, live_server)

    deliver_outbox(app)
    subjects = [message["Subject"] for message in mail_server.received]
    missing = [
        kind
        for kind, start in EVERY_KIND.items()
        if not any(subject.startswith(start) for subject in subjects)
    ]
    assert missing == [], f"not sent: {missing}; sent: {subjects}"
    ours = {}  # each link of ours, with the subject of the first email that has it
    for message in mail_server.received:
        for link in links_of(message):
            if link.startswith(live_server):
                ours.setdefault(link, message["Subject"])
            else:  # another site's page (an article's original, say), or a stray host
                assert not link.startswith(("http://localhost", "http://127.0.0.1")), (
                    f"{message['Subject']!r} links to {link}, not to PUBLIC_URL"
                )
    with httpx.Client(timeout=10, follow_redirects=True) as browser:
        statuses = {link: browser.get(link).status_code for link in ours}
    broken = [
        f"{status} {link} in {ours[link]!r}" for link, status in statuses.items() if status != 200
    ]
    assert broken == []
    paths = {re.sub(r"/[\w.-]{20,}$", "/TOKEN", link.removeprefix(live_server)) for link in ours}
    for expected in ("/items/", "/events.ics", "/newsletter/unsubscribe/TOKEN", "/events/"):
        assert any(path.startswith(expected) for path in paths), (expected, sorted(paths))
