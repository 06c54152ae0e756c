"""Organisers create, edit, publish, cancel and duplicate events behind the login."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlmodel import select

from community.events.registrations import Person, register
from community.models import Event, EventStatus, Registration
from tests.events.conftest import BERLIN
from tests.helpers import csrf_token
from tests.mail_server import plain_text

# Tuesday 15 September 2026, noon in Berlin: no clock change until 25 October, so an event two
# days ahead, moved a day or copied a week later, is that many whole 24-hour days away and at a
# time that exists. The daylight-saving tests below use their own dates, after this one.
TODAY = datetime(2026, 9, 15, 10, 0, tzinfo=UTC)
NEXT_MONTH = datetime(2026, 10, 15, 18, 30, tzinfo=BERLIN)  # a Thursday evening, on CEST


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(TODAY, tick=True):
        yield


def _form(**overrides) -> dict:
    return {
        "title": "MLOps Meetup: Monitoring",
        "description": "Talks about **drift**.",
        "kind": "meetup",
        "format": "in-person",
        "venue": "Werkhalle",
        "address": "Beispielstraße 12, Berlin",
        "join_url": "",
        "starts_at": NEXT_MONTH.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (NEXT_MONTH + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Europe/Berlin",
        "capacity": "40",
        "tags": "monitoring, Drift",
        "repeat": "none",
        "repeat_count": "1",
        **overrides,
    }


def _create(client, **overrides):
    token = csrf_token(client.get("/admin/events/new").get_data(as_text=True))
    return client.post("/admin/events/new", data={**_form(**overrides), "csrf_token": token})


def _act(client, event_id: int, action: str):
    token = csrf_token(client.get(f"/admin/events/{event_id}").get_data(as_text=True))
    return client.post(f"/admin/events/{event_id}/{action}", data={"csrf_token": token})


def _events(session) -> list[Event]:
    session.expire_all()
    return list(session.exec(select(Event).order_by(Event.starts_at)))


def test_an_event_is_created_as_a_draft_in_its_time_zone_and_published(organiser, session, client):
    assert _create(organiser).status_code == 302
    (event,) = _events(session)
    assert event.status == EventStatus.DRAFT
    assert event.starts_at == NEXT_MONTH  # stored in UTC
    assert event.tags == ["monitoring", "drift"]
    assert client.get(f"/events/{event.id}").status_code == 404

    _act(organiser, event.id, "publish")

    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "MLOps Meetup: Monitoring" in page
    assert "Thu 15 Oct 2026, 18:30–20:30 CEST (Europe/Berlin)" in page
    assert "<strong>drift</strong>" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ends_at": (NEXT_MONTH - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
            "end must be after",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "not a known time zone"),
        ({"capacity": "-3"}, "Capacity cannot be negative"),
        ({"title": ""}, "This field is required"),
        (  # Europe/Berlin skips from 02:00 to 03:00 that night
            {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"},
            "02:30 does not exist on 28 Mar 2027",
        ),
    ],
)
def test_bad_event_input_is_explained_and_nothing_is_saved(organiser, session, overrides, message):
    response = _create(organiser, **overrides)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _events(session) == []


def test_script_in_a_description_never_reaches_the_page(organiser, session, client):
    _create(organiser, description='Hi <script>alert("x")</script><img src=x onerror=alert(1)>')
    (event,) = _events(session)
    _act(organiser, event.id, "publish")

    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    assert "<script>alert" not in page
    assert "onerror" not in page


def test_without_a_login_organiser_pages_refuse_and_change_nothing(client, session):
    token = csrf_token(client.get("/login").get_data(as_text=True))  # a visitor's valid token

    response = client.post("/admin/events/new", data={**_form(), "csrf_token": token})

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert _events(session) == []


def test_a_missing_csrf_token_is_refused(organiser, session):
    response = organiser.post("/admin/events/new", data=_form())

    assert response.status_code == 400
    assert _events(session) == []


def test_moving_an_event_tells_the_people_registered(organiser, session, make_event, mail_server):
    event = make_event()
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    session.commit()
    page = organiser.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    later = event.starts_at.astimezone(BERLIN) + timedelta(days=1)
    form = _form(
        title=event.title,
        starts_at=later.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        csrf_token=csrf_token(page),
    )

    asked = organiser.post(f"/admin/events/{event.id}/edit", data=form)
    assert "emails 1 registered person" in asked.get_data(as_text=True)
    organiser.post(f"/admin/events/{event.id}/edit", data={**form, "confirmed": "yes"})

    session.refresh(event)
    assert event.sequence == 1
    changed = mail_server.to("ada@example.org")[-1]
    assert changed["Subject"] == f"Changed: {event.title}"
    assert f"→ {later:%a} {later.day} {later:%b %Y}, {later:%H:%M}" in plain_text(changed)
    # Her calendar moves the entry it made from the confirmation's file: same UID, later.
    (entry,) = _calendar_entries(changed)
    assert (str(entry["UID"]), entry["SEQUENCE"], entry["STATUS"]) == (event.uid, 1, "CONFIRMED")
    assert entry.decoded("DTSTART") == later.replace(second=0, microsecond=0)  # as the form sent it


def test_a_cancellation_sends_no_calendar_file_to_the_waitlist(
    organiser, session, make_event, mail_server
):
    event = make_event(capacity=1)
    for name in ("Ada", "Bo"):
        person = Person(name, f"{name.lower()}@example.org")
        register(session=session, event_id=event.id, person=person)
    session.commit()
    page = organiser.get(f"/admin/events/{event.id}/cancel").get_data(as_text=True)

    organiser.post(f"/admin/events/{event.id}/cancel", data={"csrf_token": csrf_token(page)})

    held, waiting = mail_server.to("ada@example.org")[-1], mail_server.to("bo@example.org")[-1]
    assert held["Subject"] == waiting["Subject"] == f"Cancelled: {event.title}"
    assert len(_calendar_entries(held)) == 1  # she had it in her calendar; Bo never did
    assert _calendar_entries(waiting) == []


def _calendar_entries(message) -> list:
    files = [part for part in message.iter_attachments() if part.get_filename().endswith(".ics")]
    return [
        entry for part in files for entry in Calendar.from_ical(part.get_content()).walk("VEVENT")
    ]


def test_cancelling_tells_the_people_registered(
    organiser, session, make_event, mail_server, client
):
    event = make_event()
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    session.commit()
    page = organiser.get(f"/admin/events/{event.id}/cancel").get_data(as_text=True)

    organiser.post(f"/admin/events/{event.id}/cancel", data={"csrf_token": csrf_token(page)})

    session.refresh(event)
    assert event.status == EventStatus.CANCELLED
    cancelled = mail_server.to("ada@example.org")[-1]
    assert cancelled["Subject"] == f"Cancelled: {event.title}"
    (entry,) = _calendar_entries(cancelled)  # her calendar marks its entry cancelled
    assert (str(entry["UID"]), entry["SEQUENCE"], entry["STATUS"]) == (event.uid, 1, "CANCELLED")
    assert "This event was cancelled" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_duplicating_makes_a_draft_a_week_later_marked_as_a_copy(organiser, session, make_event):
    event = make_event(host="MLOps Berlin")
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    session.commit()

    landed = _act(organiser, event.id, "duplicate")

    original, copy = _events(session)
    assert copy.status == EventStatus.DRAFT
    assert copy.copied_from_id == original.id
    assert copy.host == "MLOps Berlin"
    assert copy.starts_at - original.starts_at == timedelta(days=7)
    assert copy.uid != original.uid
    assert session.exec(select(Registration).where(Registration.event_id == copy.id)).all() == []
    page = organiser.get(landed.headers["Location"]).get_data(as_text=True)
    assert f'Copy of <a href="/admin/events/{original.id}">“{original.title}”</a>' in page
    assert '<span class="badge">copy</span>' in organiser.get("/admin/events/").get_data(True)


def test_the_host_is_saved_and_shown_to_organisers(organiser, session):
    _create(organiser, host="  MLOps   Community Berlin ")

    (event,) = _events(session)
    assert event.host == "MLOps Community Berlin"
    page = organiser.get(f"/admin/events/{event.id}").get_data(as_text=True)
    assert '<dd id="event-host">MLOps Community Berlin</dd>' in page
    edit = organiser.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="MLOps Community Berlin"' in edit


def test_the_series_count_is_asked_for_only_when_repeating(organiser, session):
    form = organiser.get("/admin/events/new").get_data(as_text=True)
    closed = form.split('<details class="repeat" id="repeat">')[1].split("</details>")[0]
    assert 'name="repeat_count"' in closed  # inside the closed Repeat section only
    assert form.count('name="repeat_count"') == 1

    once = _create(organiser, repeat="none", repeat_count="not a number")
    assert once.status_code == 302  # a count left behind is ignored when not repeating
    missing = _create(organiser, repeat="weekly", repeat_count="")

    assert missing.status_code == 400
    text = missing.get_data(as_text=True)
    assert "Say how many weekly events the series has" in text
    assert '<details class="repeat" id="repeat" open>' in text
    assert len(_events(session)) == 1


def test_a_weekly_series_keeps_its_local_time_across_daylight_saving(organiser, session):
    # 18 October 2026 is a Sunday before Europe/Berlin leaves summer time on the 25th.
    _create(
        organiser,
        starts_at="2026-10-18T18:30",
        ends_at="2026-10-18T20:00",
        repeat="weekly",
        repeat_count="3",
    )

    events = _events(session)
    assert len(events) == 3
    assert len({event.series_id for event in events}) == 1
    local_starts = [event.starts_at.astimezone(BERLIN) for event in events]
    assert [(s.day, s.hour, s.minute) for s in local_starts] == [
        (18, 18, 30),
        (25, 18, 30),
        (1, 18, 30),
    ]


def test_attendees_and_waitlist_export_as_csv(organiser, session, make_event):
    event = make_event(capacity=1)
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    register(
        session=session, event_id=event.id, person=Person("=HYPERLINK(evil)", "=1@example.org")
    )
    session.commit()

    response = organiser.get(f"/admin/events/{event.id}/attendees.csv")

    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["name"], row["email"], row["status"]) for row in rows] == [
        ("Ada", "ada@example.org", "registered"),
        ("'=HYPERLINK(evil)", "'=1@example.org", "waitlisted"),
    ]


def test_public_list_filters_by_kind_format_and_tag(client, make_event):
    make_event(title="Drift meetup", kind="meetup", format="in-person", tags=["drift"])
    make_event(title="Feature store workshop", kind="workshop", format="online", tags=["features"])

    def titles(query: str) -> str:
        return client.get(f"/events?{query}").get_data(as_text=True)

    assert "Feature store workshop" not in titles("kind=meetup")
    assert "Drift meetup" in titles("kind=meetup")
    assert "Drift meetup" not in titles("format=online")
    assert "Feature store workshop" in titles("tag=features")
    assert "Drift meetup" not in titles("tag=features")


def test_a_cancelled_draft_never_becomes_public(organiser, session, make_event, client):
    draft = make_event(title="Unannounced plans", status=EventStatus.DRAFT)
    page = organiser.get(f"/admin/events/{draft.id}/cancel").get_data(as_text=True)
    assert "Nobody is registered, so nobody is emailed." in page

    organiser.post(f"/admin/events/{draft.id}/cancel", data={"csrf_token": csrf_token(page)})

    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get(f"/events/{draft.id}.ics").status_code == 404


def test_duplicating_keeps_the_local_time_across_daylight_saving(organiser, session, make_event):
    # 20 October 2026, 18:30 in Berlin (summer time); a week later Berlin is on winter time.
    event = make_event(starts_at=datetime(2026, 10, 20, 18, 30, tzinfo=BERLIN))

    _act(organiser, event.id, "duplicate")

    copy = _events(session)[-1]
    local = copy.starts_at.astimezone(BERLIN)
    assert (local.day, local.hour, local.minute) == (27, 18, 30)


def test_a_title_with_line_breaks_is_kept_on_one_line(organiser, session):
    _create(organiser, title="Meetup\r\nBcc: everyone@example.org")

    (event,) = _events(session)
    assert event.title == "Meetup Bcc: everyone@example.org"
