"""The email that gives someone a place is HTML and text, with the event's calendar file
attached and the link to manage the registration in both parts."""

import re
import urllib.request
from html.parser import HTMLParser

from icalendar import Calendar

from community.models import Event
from tests.helpers import csrf_token, deliver_outbox
from tests.mail_server import plain_text

JOIN_URL = "https://meet.example.org/secret-room"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _hrefs(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _registration_link(text: str, base: str) -> str:
    match = re.search(rf"{re.escape(base)}/events/registration/[\w.-]+", text)
    assert match, "no registration link"
    return match.group(0)


def _rsvp_and_confirm(app, event_id: int, name: str, email: str, mail_server, base: str):
    client = app.test_client()
    token = csrf_token(client.get(f"/events/{event_id}").get_data(as_text=True))
    client.post(
        f"/events/{event_id}/rsvp", data={"name": name, "email": email, "csrf_token": token}
    )
    deliver_outbox(app)
    link = _registration_link(plain_text(mail_server.to(email)[-1]), base).removeprefix(base)
    page = client.get(link).get_data(as_text=True)
    client.post(f"{link}/confirm", data={"csrf_token": csrf_token(page)})
    deliver_outbox(app)
    return client, link


def _calendar_of(message) -> tuple[object, Calendar]:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def _assert_opens(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our live server)
        assert response.status == 200
        assert b'id="registration-status"' in response.read()


def test_the_confirmation_brings_html_text_the_ics_and_a_working_manage_link(
    app, live_server, make_event, session, mail_server
):
    app.extensions["settings"].PUBLIC_URL = live_server
    event = make_event(
        capacity=5, format="hybrid", venue="Riverside Hub", join_url=JOIN_URL, host="MLOps Berlin"
    )
    event.sequence = 3  # edited three times since publishing
    session.commit()

    _rsvp_and_confirm(app, event.id, "Ada", "ada@example.org", mail_server, live_server)

    welcome = mail_server.to("ada@example.org")[-1]
    assert welcome["Subject"] == f"You are registered: {event.title}"
    assert welcome.get_content_type() == "multipart/mixed"
    text = welcome.get_body(("plain",)).get_content()
    html = welcome.get_body(("html",)).get_content()
    assert JOIN_URL in text and JOIN_URL in html
    assert "MLOps Berlin" in text and "MLOps Berlin" in html
    assert "<style" not in html and 'style="' in html  # the look survives mail clients
    part, calendar = _calendar_of(welcome)
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename().endswith(".ics")
    assert str(calendar["METHOD"]) == "PUBLISH"
    (vevent,) = calendar.walk("VEVENT")
    session.refresh(event)
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["UID"]) == event.uid
    assert int(vevent["SEQUENCE"]) == 3
    text_link = _registration_link(text, live_server)
    html_links = [href for href in _hrefs(html) if "/events/registration/" in href]
    assert html_links and set(html_links) == {text_link}
    _assert_opens(text_link)


def test_a_place_from_the_waitlist_brings_the_ics_too(
    app, live_server, make_event, session, mail_server
):
    app.extensions["settings"].PUBLIC_URL = live_server
    event = make_event(capacity=1)
    ada, ada_link = _rsvp_and_confirm(
        app, event.id, "Ada", "ada@example.org", mail_server, live_server
    )
    _rsvp_and_confirm(app, event.id, "Grace", "grace@example.org", mail_server, live_server)
    assert mail_server.to("grace@example.org")[-1]["Subject"].startswith("You are on the waitlist")

    page = ada.get(ada_link).get_data(as_text=True)
    ada.post(f"{ada_link}/cancel", data={"csrf_token": csrf_token(page)})
    deliver_outbox(app)

    promoted = mail_server.to("grace@example.org")[-1]
    assert promoted["Subject"] == f"You have a place: {event.title}"
    _, calendar = _calendar_of(promoted)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == session.get(Event, event.id).uid
    links = {
        _registration_link(promoted.get_body(("plain",)).get_content(), live_server),
        *(h for h in _hrefs(promoted.get_body(("html",)).get_content()) if "/registration/" in h),
    }
    (link,) = links
    _assert_opens(link)
