"""Input nobody sane sends gets a 400 that says what was wrong, never a 500.

Each case gave a 500 (or stored what PostgreSQL would refuse) before: NUL bytes, moments that
leave the calendar when moved to UTC, numbers larger than the columns, absurd series.
"""

import json

import pytest
from sqlmodel import Session, select

from community.db import get_engine
from community.models import ContentItem, Event, Registration, Subscriber
from tests.helpers import csrf_token

TOO_BIG = "99999999999999999999"  # more than any 64-bit integer


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/events?kind=meet%00up", "kind"),
        ("/events?tag=%01drift", "tag"),
        ("/search?q=drift&collection=Blogs%00", "collection"),
        ("/newsletter/archive?page=%002", "page"),
    ],
)
def test_a_control_character_in_a_query_argument_is_a_400_naming_it(client, path, field):
    response = client.get(path)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"The field “{field}” contains a control character" in page


def test_the_api_names_a_control_character_in_json(client):
    response = client.get("/api/search?q=drift&collection=Blogs%00")

    assert response.status_code == 400
    assert "“collection” contains a control character" in response.get_json()["error"]


def test_a_control_character_in_the_address_is_a_400(client):
    response = client.get("/events/registration/abc%00def")

    assert response.status_code == 400
    assert "The address contains a control character" in response.get_data(as_text=True)


def test_a_nul_in_a_subscription_is_refused_and_nothing_is_stored(client, session):
    token = csrf_token(client.get("/newsletter").get_data(as_text=True))

    response = client.post(
        "/newsletter", data={"email": "ada@example.org", "name": "Ada\x00", "csrf_token": token}
    )

    assert response.status_code == 400
    assert "The field “name” contains a control character" in response.get_data(as_text=True)
    assert session.exec(select(Subscriber)).all() == []


def test_a_nul_in_an_rsvp_is_refused_and_nobody_is_registered(client, session, make_event):
    event = make_event()
    token = csrf_token(client.get(f"/events/{event.id}").get_data(as_text=True))

    response = client.post(
        f"/events/{event.id}/rsvp",
        data={"name": "Grace\x00Hopper", "email": "grace@example.org", "csrf_token": token},
    )

    assert response.status_code == 400
    assert session.exec(select(Registration)).all() == []


@pytest.mark.parametrize(
    "path",
    [
        f"/events/{TOO_BIG}",
        f"/events/{TOO_BIG}.ics",
        f"/items/{TOO_BIG}",
        f"/newsletter/archive/{TOO_BIG}",
    ],
)
def test_an_id_larger_than_any_stored_one_is_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/events", "/events/past", "/newsletter/archive"])
def test_a_page_number_beyond_any_list_shows_an_empty_page(client, make_event, path):
    make_event()

    response = client.get(f"{path}?page={TOO_BIG}")

    assert response.status_code == 200
    assert "Feature Store Workshop" not in response.get_data(as_text=True)


@pytest.fixture
def searchable(runner, tmp_path):
    items = [{"id": "drift-1", "title": "Detecting drift", "body": "Watch the inputs."}]
    (tmp_path / "notes.json").write_text(json.dumps(items))
    result = runner.invoke(args=["kb", "import", str(tmp_path / "notes.json")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("argument", "value"),
    [("from", "0001-01-01T00:00:00+14:00"), ("to", "9999-12-31T23:00:00-05:00")],
)
def test_a_search_date_that_leaves_the_calendar_in_utc_is_refused(
    client, searchable, argument, value
):
    query = {"q": "drift", argument: value}

    api = client.get("/api/search", query_string=query)
    page = client.get("/search", query_string=query)

    assert api.status_code == 400
    assert api.get_json()["error"] == f"{argument} must fall within the years 1 to 9999 in UTC"
    assert page.status_code == 200  # the page ignores a date it cannot use
    assert "Detecting drift" in page.get_data(as_text=True)


def test_imported_files_lose_their_nul_bytes_and_a_date_out_of_range_is_reported(
    runner, session, tmp_path
):
    clean = [
        {"id": "a", "title": "Drift\x00 alerts", "collection": "Note\x00s", "tags": ["m\x00l"]}
    ]
    (tmp_path / "clean.json").write_text(json.dumps(clean))
    late = [{"id": "b", "title": "Too early", "published": "0001-01-01T00:00:00+14:00"}]
    (tmp_path / "late.json").write_text(json.dumps(late))

    result = runner.invoke(
        args=["kb", "import", str(tmp_path / "clean.json"), str(tmp_path / "late.json")]
    )

    assert result.exit_code == 1
    assert "'published' is not an ISO date from year 1 to 9999" in result.output
    item = session.exec(select(ContentItem)).one()
    assert (item.title, item.collection, item.tags) == ("Drift alerts", "Notes", ["ml"])


# Organiser pages


def _new_event(client, **fields):
    form = {
        "title": "MLOps Meetup",
        "kind": "meetup",
        "format": "online",
        "starts_at": "2027-03-04T18:30",
        "ends_at": "2027-03-04T20:30",
        "timezone": "Europe/Berlin",
        "repeat": "none",
        "repeat_count": "1",
        **fields,
    }
    token = csrf_token(client.get("/admin/events/new").get_data(as_text=True))
    return client.post("/admin/events/new", data={**form, "csrf_token": token})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"capacity": str(2**31)}, "Capacity can be at most 1,000,000 places."),
        (
            {"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T02:00"},
            "The year 1 is outside the dates the calendar keeps",
        ),
        (
            {
                "starts_at": "9999-12-31T20:00",
                "ends_at": "9999-12-31T22:00",
                "timezone": "America/New_York",
            },
            "The year 9999 is outside the dates the calendar keeps",
        ),
        (
            {
                "starts_at": "9999-01-04T18:30",
                "ends_at": "9999-01-04T20:30",
                "repeat": "weekly",
                "repeat_count": "52",
            },
            "The year 9999 is outside the dates the calendar keeps",
        ),
        (
            {
                "starts_at": "2999-01-04T18:30",
                "ends_at": "2999-01-04T20:30",
                "repeat": "monthly",
                "repeat_count": "52",
            },
            "The last of 52 monthly events would end after 2999",
        ),
    ],
)
def test_an_event_outside_what_the_calendar_keeps_is_refused_with_a_message(
    organiser, session, fields, message
):
    response = _new_event(organiser, **fields)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.exec(select(Event)).all() == []


def test_an_impossible_capacity_is_refused_while_tabs_and_line_breaks_are_kept(
    organiser, session, make_event
):
    event = make_event(capacity=40)
    token = csrf_token(organiser.get(f"/admin/events/{event.id}/edit").get_data(as_text=True))
    form = {
        "title": event.title,
        "description": "Talks:\r\n\t1. Drift",
        "kind": event.kind,
        "format": event.format,
        "starts_at": "2027-03-04T18:30",
        "ends_at": "2027-03-04T20:30",
        "timezone": "Europe/Berlin",
        "csrf_token": token,
    }

    refused = organiser.post(f"/admin/events/{event.id}/edit", data={**form, "capacity": TOO_BIG})
    assert refused.status_code == 400
    assert "Capacity can be at most 1,000,000 places." in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Event, event.id).capacity == 40

    saved = organiser.post(f"/admin/events/{event.id}/edit", data={**form, "capacity": "60"})
    assert saved.status_code == 302
    session.expire_all()
    edited = session.get(Event, event.id)
    assert (edited.capacity, edited.description) == (60, "Talks:\r\n\t1. Drift")


def test_a_body_larger_than_any_upload_is_a_413_saying_so_and_stores_nothing(make_app):
    app = make_app(FEEDS_MAX_BYTES=2 * 1024 * 1024)  # so the limit is 3 MB
    client = app.test_client()
    token = csrf_token(client.get("/newsletter").get_data(as_text=True))
    padding = "x" * (3 * 1024 * 1024 + 1)

    response = client.post(
        "/newsletter",
        data={"email": "ada@example.org", "name": padding, "csrf_token": token},
    )

    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "That upload is too large" in html and "at most 3 MB" in html
    with Session(get_engine(app)) as session:
        assert session.exec(select(Subscriber)).all() == []
