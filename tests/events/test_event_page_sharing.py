"""The public event page leads with what a person needs to decide and to share it: when,
where, who hosts, how many are going, a way to register and to add it to a calendar."""

import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select

from community.events.registrations import Person, register
from community.events.tokens import registration_token
from community.models import EventStatus, Registration, RegistrationStatus
from tests.events.conftest import BERLIN
from tests.helpers import csrf_token

STARTS = datetime(2031, 3, 14, 18, 30, tzinfo=BERLIN)  # 17:30 UTC


def _fill(session, event, going: int, waiting: int = 0) -> None:
    for number in range(going + waiting):
        register(
            session=session,
            event_id=event.id,
            person=Person(name=f"Person {number}", email=f"person{number}@example.org"),
        )
    session.commit()


def _link(page: str, link_id: str) -> str:
    match = re.search(rf'<a href="([^"]+)" id="{link_id}"', page)
    assert match, f"the page has no {link_id} link"
    return html.unescape(match.group(1))


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_the_page_counts_who_is_going_and_the_places_left(client, make_event, session):
    event = make_event(capacity=40)
    _fill(session, event, going=34)

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert re.search(r'id="event-count">34 going · 6 places left<', page)


def test_a_full_event_says_so_and_counts_its_waitlist(client, make_event, session):
    event = make_event(capacity=2)
    _fill(session, event, going=2, waiting=3)

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert re.search(r'id="event-count">Full · 3 on the waitlist<', page)
    assert 'id="rsvp-full"' in page and 'id="rsvp-form"' in page  # the waitlist is open


def test_one_place_left_reads_as_one(client, make_event, session):
    event = make_event(capacity=2)
    _fill(session, event, going=1)

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert re.search(r'id="event-count">1 going · 1 place left<', page)


def test_the_top_of_the_page_has_the_time_in_both_zones_the_place_the_host_and_the_form(
    client, make_event
):
    event = make_event(
        starts_at=STARTS, format="in-person", venue="Riverside Hub", host="MLOps Berlin"
    )

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert "Fri 14 Mar 2031, 18:30–20:30 CET (Europe/Berlin)" in page
    assert 'id="reader-time" datetime="2031-03-14T17:30:00+00:00" data-local-time' in page
    assert re.search(r'id="event-where">Riverside Hub<', page)
    assert re.search(r'id="event-host">MLOps Berlin<', page)
    assert page.index('id="rsvp-form"') < page.index('class="description"')


def test_an_online_event_says_online_and_keeps_its_join_link_hidden(client, make_event):
    event = make_event(format="online", join_url="https://meet.example.org/secret-room")

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert re.search(r'id="event-where">Online<', page)
    assert "secret-room" not in page
    assert "secret-room" not in _link(page, "google-calendar")


def test_the_calendar_links_carry_the_event_in_utc_encoded(client, make_event):
    event = make_event(
        title="Drift & #monitoring: 100% live?", starts_at=STARTS, venue="Hub", format="in-person"
    )

    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    google, outlook = _link(page, "google-calendar"), _link(page, "outlook-calendar")

    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert _query(google) | {"details": ""} == {
        "action": "TEMPLATE",
        "text": "Drift & #monitoring: 100% live?",
        "dates": "20310314T173000Z/20310314T193000Z",
        "details": "",
        "location": "Hub",
    }
    assert f"http://events.test/events/{event.id}" in _query(google)["details"]
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    fields = _query(outlook)
    assert (fields["subject"], fields["startdt"], fields["enddt"]) == (
        "Drift & #monitoring: 100% live?",
        "2031-03-14T17:30:00Z",
        "2031-03-14T19:30:00Z",
    )
    assert fields["rru"] == "addevent" and fields["location"] == "Hub"
    assert "#" not in urlsplit(google).query + urlsplit(outlook).query  # no cut-off fragment
    assert _link(page, "event-ics") == f"/events/{event.id}.ics"


def test_a_cancelled_event_shows_its_reason_and_offers_nothing(client, make_event, session):
    event = make_event(capacity=10)
    _fill(session, event, going=2)
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "The speaker is ill; we will set a new date."
    session.commit()

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert "This event was cancelled" in page
    assert "The speaker is ill; we will set a new date." in page
    offers = ('id="rsvp-form"', 'id="add-to-calendar"', "calendar.google.com", f"{event.id}.ics")
    for offer in offers:
        assert offer not in page, offer
    token = csrf_token(client.get("/login").get_data(as_text=True))
    refused = client.post(
        f"/events/{event.id}/rsvp",
        data={"name": "Ada", "email": "ada@example.org", "csrf_token": token},
    )
    assert refused.status_code == 400


def test_cancelling_a_place_is_a_danger_button_and_never_the_main_action(
    app, client, make_event, session
):
    event = make_event()
    _fill(session, event, going=1)
    registration = session.exec(select(Registration)).one()
    assert registration.status == RegistrationStatus.REGISTERED
    with app.app_context():
        token = registration_token(registration.id)

    page = client.get(f"/events/registration/{token}")
    text = page.get_data(as_text=True)

    assert re.search(r'<button type="submit" class="button-danger">Cancel my place</button>', text)
    assert 'id="google-calendar"' in text  # someone with a place can add it to a calendar


def test_the_times_in_calendar_links_are_utc_whatever_the_zone(client, make_event):
    starts = datetime(2031, 7, 1, 9, 0, tzinfo=UTC).astimezone(BERLIN)  # 11:00 in summer
    event = make_event(starts_at=starts, timezone="Europe/Berlin")

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert _query(_link(page, "google-calendar"))["dates"] == "20310701T090000Z/20310701T110000Z"


def test_a_place_at_a_cancelled_event_shows_the_reason_and_no_join_link_or_calendar(
    app, client, make_event, session
):
    event = make_event(format="online", join_url="https://meet.example.org/secret-room")
    _fill(session, event, going=1)
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = "The venue flooded."
    session.commit()
    registration = session.exec(select(Registration)).one()
    with app.app_context():
        token = registration_token(registration.id)

    page = client.get(f"/events/registration/{token}").get_data(as_text=True)

    assert "This event was cancelled" in page and "The venue flooded." in page
    for offer in ("secret-room", 'id="add-to-calendar"', 'id="cancel-form"', 'id="confirm-form"'):
        assert offer not in page, offer
