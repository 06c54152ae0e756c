"""Cancelling an event and changes attendees hear about ask first: how many people, which
email, and why; nothing is sent until the organiser confirms."""

from datetime import UTC, datetime

import pytest
import time_machine

from community.events.registrations import Person, register
from community.models import Event, EventStatus
from tests.events.conftest import BERLIN
from tests.helpers import csrf_token
from tests.mail_server import plain_text

# Tuesday 15 September 2026: no clock change in Berlin for weeks either side of the events.
TODAY = datetime(2026, 9, 15, 10, 0, tzinfo=UTC)
STARTS = datetime(2026, 10, 15, 18, 30, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def full_event(make_event, session):
    """Two places taken and one person waiting."""
    event = make_event(
        title="Drift Night",
        starts_at=STARTS,
        capacity=2,
        format="hybrid",
        venue="Werkhalle",
        join_url="https://meet.example.org/drift-secret",
        rsvp_needs_confirmation=False,
    )
    for name, email in (("Ada", "ada@example.org"), ("Grace", "grace@example.org")):
        register(session=session, event_id=event.id, person=Person(name, email))
    register(session=session, event_id=event.id, person=Person("Linus", "linus@example.org"))
    session.commit()
    return event


def _status(session, event) -> str:
    session.expire_all()
    return session.get(Event, event.id).status


def test_cancel_shows_who_is_emailed_and_the_email_before_sending_anything(
    organiser, session, full_event, mail_server
):
    page = organiser.get(f"/admin/events/{full_event.id}/cancel")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "This emails 2 registered people and 1 on the waitlist." in text
    assert "Subject:</strong> Cancelled: Drift Night" in text
    assert "has been cancelled by the organisers" in text
    assert 'class="button-danger" id="confirm-cancel">Cancel the event and email 3 people' in text
    assert _status(session, full_event) == EventStatus.PUBLISHED
    assert mail_server.received == []


def test_the_reason_reaches_the_preview_the_email_and_the_event(
    organiser, session, full_event, mail_server
):
    token = csrf_token(organiser.get(f"/admin/events/{full_event.id}/cancel").get_data(True))
    reason = "Our speaker is ill; we will announce a new date soon."

    preview = organiser.post(
        f"/admin/events/{full_event.id}/cancel",
        data={"csrf_token": token, "reason": reason, "preview": "yes"},
    )
    assert f"Why: {reason}" in preview.get_data(as_text=True)
    assert _status(session, full_event) == EventStatus.PUBLISHED
    assert mail_server.received == []

    done = organiser.post(
        f"/admin/events/{full_event.id}/cancel", data={"csrf_token": token, "reason": reason}
    )

    assert done.status_code == 302
    shown = organiser.get(done.headers["Location"]).get_data(as_text=True)
    assert "Cancelled. 3 people were told." in shown
    session.expire_all()
    cancelled = session.get(Event, full_event.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (EventStatus.CANCELLED, reason)
    for address in ("ada@example.org", "grace@example.org", "linus@example.org"):
        (email,) = mail_server.to(address)
        assert email["Subject"] == "Cancelled: Drift Night"
        assert f"Why: {reason}" in plain_text(email)


def test_one_person_reads_as_one_person(organiser, session, make_event, mail_server):
    event = make_event(title="Small Talk", starts_at=STARTS, rsvp_needs_confirmation=False)
    register(session=session, event_id=event.id, person=Person("Ada", "ada@example.org"))
    session.commit()

    text = organiser.get(f"/admin/events/{event.id}/cancel").get_data(as_text=True)
    assert "This emails 1 registered person." in text
    token = csrf_token(text)
    done = organiser.post(f"/admin/events/{event.id}/cancel", data={"csrf_token": token})

    assert "Cancelled. 1 person was told." in organiser.get(done.headers["Location"]).get_data(
        as_text=True
    )


def test_a_bad_cancel_form_explains_itself_keeps_the_reason_and_sends_nothing(
    organiser, session, full_event, mail_server
):
    token = csrf_token(organiser.get(f"/admin/events/{full_event.id}/cancel").get_data(True))
    long_reason = "Because " + "very " * 300

    too_long = organiser.post(
        f"/admin/events/{full_event.id}/cancel", data={"csrf_token": token, "reason": long_reason}
    )
    expired = organiser.post(
        f"/admin/events/{full_event.id}/cancel", data={"reason": "Speaker ill"}
    )

    assert too_long.status_code == 400
    assert "Keep the reason under 1,000 characters." in too_long.get_data(as_text=True)
    assert long_reason.strip() in too_long.get_data(as_text=True)
    assert expired.status_code == 400
    assert "its form expired" in expired.get_data(as_text=True)
    assert "Speaker ill" in expired.get_data(as_text=True)
    assert _status(session, full_event) == EventStatus.PUBLISHED
    assert mail_server.received == []


def test_the_event_page_offers_cancel_as_a_danger_button_not_the_main_one(
    organiser, full_event, make_event
):
    text = organiser.get(f"/admin/events/{full_event.id}").get_data(as_text=True)

    assert 'id="cancel-event" class="button-danger"' in text
    assert f'action="/admin/events/{full_event.id}/cancel"' in text
    assert 'method="get" action="/admin/events/' in text  # it opens the confirmation page
    draft = make_event(title="Plans", status=EventStatus.DRAFT)
    draft_page = organiser.get(f"/admin/events/{draft.id}").get_data(as_text=True)
    assert '<button type="submit" id="publish-event">Publish</button>' in draft_page


def test_someone_registering_while_the_page_is_open_means_confirming_again(
    organiser, session, full_event, mail_server
):
    page = organiser.get(f"/admin/events/{full_event.id}/cancel").get_data(as_text=True)
    assert 'name="expected" value="3"' in page
    register(session=session, event_id=full_event.id, person=Person("Rosa", "rosa@example.org"))
    session.commit()
    confirm = {"csrf_token": csrf_token(page), "expected": "3", "reason": "Venue flooded."}

    again = organiser.post(f"/admin/events/{full_event.id}/cancel", data=confirm)

    text = again.get_data(as_text=True)
    assert "the number of people to email changed from 3 to 4" in text
    assert "This emails 2 registered people and 2 on the waitlist." in text
    assert "Venue flooded." in text
    assert _status(session, full_event) == EventStatus.PUBLISHED
    assert mail_server.received == []
    organiser.post(f"/admin/events/{full_event.id}/cancel", data={**confirm, "expected": "4"})
    assert _status(session, full_event) == EventStatus.CANCELLED
    assert len(mail_server.to("rosa@example.org")) == 1


def _edit_form(event, **overrides) -> dict:
    local = event.starts_at.astimezone(BERLIN)
    return {
        "title": event.title,
        "host": "MLOps Berlin",
        "description": event.description,
        "kind": event.kind,
        "format": event.format,
        "venue": event.venue or "",
        "address": event.address or "",
        "join_url": event.join_url or "",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + (event.ends_at - event.starts_at)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": event.timezone,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "tags": "",
        **overrides,
    }


def _post_edit(client, event, **fields):
    token = csrf_token(client.get(f"/admin/events/{event.id}/edit").get_data(as_text=True))
    return client.post(f"/admin/events/{event.id}/edit", data={**fields, "csrf_token": token})


def test_a_change_of_time_and_place_asks_first_then_emails_old_and_new(
    organiser, session, full_event, mail_server
):
    form = _edit_form(
        full_event,
        starts_at="2026-10-16T19:00",
        ends_at="2026-10-16T21:00",
        venue="Hall B",
        join_url="https://meet.example.org/drift-new",
    )

    asked = _post_edit(organiser, full_event, **form)

    text = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "emails 2 registered people and 1 on the waitlist" in text
    assert (
        "Thu 15 Oct 2026, 18:30–20:30 CEST (Europe/Berlin) → "
        "Fri 16 Oct 2026, 19:00–21:00 CEST (Europe/Berlin)"
    ) in text
    assert "Werkhalle and online → Hall B and online" in text
    session.expire_all()
    assert session.get(Event, full_event.id).starts_at == STARTS  # nothing saved yet
    assert mail_server.received == []

    token = csrf_token(text)
    saved = organiser.post(
        f"/admin/events/{full_event.id}/edit",
        data={**form, "csrf_token": token, "confirmed": "yes", "change_reason": "Room clash."},
    )

    assert saved.status_code == 302
    session.expire_all()
    moved = session.get(Event, full_event.id)
    assert moved.starts_at == datetime(2026, 10, 16, 19, 0, tzinfo=BERLIN)
    assert moved.host == "MLOps Berlin"
    ada = plain_text(mail_server.to("ada@example.org")[-1])
    assert "When: Thu 15 Oct 2026, 18:30–20:30 CEST (Europe/Berlin) → Fri 16 Oct 2026" in ada
    assert "Where: Werkhalle and online → Hall B and online" in ada
    assert (
        "Join link: https://meet.example.org/drift-secret → https://meet.example.org/drift-new"
        in ada
    )
    assert "Why: Room clash." in ada
    linus = plain_text(mail_server.to("linus@example.org")[-1])  # on the waitlist
    assert "drift-secret" not in linus and "drift-new" not in linus
    assert "Join link: changed; it is sent to people who hold a place" in linus


def test_back_to_the_form_keeps_every_field_and_saves_nothing(
    organiser, session, full_event, mail_server
):
    form = _edit_form(full_event, starts_at="2026-10-16T19:00", ends_at="2026-10-16T21:00")
    token = csrf_token(_post_edit(organiser, full_event, **form).get_data(as_text=True))

    back = organiser.post(
        f"/admin/events/{full_event.id}/edit",
        data={**form, "csrf_token": token, "confirmed": "yes", "back": "yes"},
    )

    text = back.get_data(as_text=True)
    assert 'id="event-form"' in text
    assert 'value="2026-10-16T19:00"' in text
    assert 'value="MLOps Berlin"' in text
    session.expire_all()
    assert session.get(Event, full_event.id).starts_at == STARTS
    assert mail_server.received == []


def test_a_too_long_change_reason_is_explained_on_the_confirmation_page(
    organiser, session, full_event, mail_server
):
    form = _edit_form(full_event, venue="Hall B")
    token = csrf_token(_post_edit(organiser, full_event, **form).get_data(as_text=True))

    refused = organiser.post(
        f"/admin/events/{full_event.id}/edit",
        data={**form, "csrf_token": token, "confirmed": "yes", "change_reason": "x" * 1001},
    )

    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Keep the reason under 1,000 characters." in text
    assert 'name="venue" value="Hall B"' in text  # still carried, ready to confirm
    session.expire_all()
    assert session.get(Event, full_event.id).venue == "Werkhalle"
    assert mail_server.received == []


def test_a_confirmation_without_its_token_saves_nothing(
    organiser, session, full_event, mail_server
):
    form = _edit_form(full_event, venue="Hall B")

    refused = organiser.post(
        f"/admin/events/{full_event.id}/edit", data={**form, "confirmed": "yes"}
    )

    assert refused.status_code == 400
    assert "its form expired" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Event, full_event.id).venue == "Werkhalle"
    assert mail_server.received == []


def test_an_edit_nobody_hears_about_saves_at_once(organiser, session, full_event, mail_server):
    saved = _post_edit(organiser, full_event, **_edit_form(full_event, title="Drift Night II"))

    assert saved.status_code == 302
    session.expire_all()
    assert session.get(Event, full_event.id).title == "Drift Night II"
    assert mail_server.received == []


def test_a_change_confirmed_after_more_people_registered_asks_again(
    organiser, session, full_event, mail_server
):
    form = _edit_form(full_event, venue="Hall B")
    token = csrf_token(_post_edit(organiser, full_event, **form).get_data(as_text=True))
    register(session=session, event_id=full_event.id, person=Person("Rosa", "rosa@example.org"))
    session.commit()

    again = organiser.post(
        f"/admin/events/{full_event.id}/edit",
        data={**form, "csrf_token": token, "confirmed": "yes", "expected": "3"},
    )

    assert "changed from 3 to 4" in again.get_data(as_text=True)
    session.expire_all()
    assert session.get(Event, full_event.id).venue == "Werkhalle"
    assert mail_server.received == []
